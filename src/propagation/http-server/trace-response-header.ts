import type { SpanContext } from '@opentelemetry/api';
import type { ServerResponse } from 'node:http';
import { formatTraceFlags } from '../../context/trace-flags-hex.js';
import { reportProblem } from '../../report-problem.js';

/** The `traceresponse` header name (W3C Trace Context Level 2, §"Traceresponse Header"). */
export const TRACE_RESPONSE_HEADER = 'traceresponse';

/**
 * The `traceresponse` value for a span context: `00-<trace id>-<span id>-<flags>`, the
 * `traceparent` format, naming the server's span.
 *
 * @example
 * ```ts
 * formatTraceResponse(span.spanContext()); // '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
 * ```
 */
export function formatTraceResponse(spanContext: SpanContext): string {
  return `00-${spanContext.traceId}-${spanContext.spanId}-${formatTraceFlags(spanContext.traceFlags)}`;
}

/**
 * Sets `traceresponse` on a response whose headers are not sent yet. The value is known when
 * the request starts, so it is set then rather than by hooking `writeHead`. Never throws.
 *
 * @example
 * ```ts
 * setTraceResponse(res, span.spanContext());
 * ```
 */
export function setTraceResponse(res: ServerResponse, spanContext: SpanContext): void {
  try {
    if (res.headersSent) {
      reportProblem('setting traceresponse', 'the response was already sent without it');
      return;
    }
    res.setHeader(TRACE_RESPONSE_HEADER, formatTraceResponse(spanContext));
  } catch (error) {
    reportProblem('setting traceresponse', 'the response is sent without it', error);
  }
}
