import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context, SpanContext } from '@opentelemetry/api';
import { reportProblem } from '../report-problem.js';

/**
 * Returns the span context of the span in `ctx` (the active context by default) when it is
 * valid, else `undefined`. A remote parent extracted from headers counts: recording or not
 * does not matter. All-zero or malformed ids never count. Never throws.
 *
 * @example
 * ```ts
 * const sc = readSpanContext();
 * if (sc) console.log(sc.traceId);
 * ```
 */
export function readSpanContext(ctx: Context = context.active()): SpanContext | undefined {
  try {
    const spanContext = trace.getSpan(ctx)?.spanContext();
    return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext : undefined;
  } catch (error) {
    // A hand-written Span whose spanContext() throws must not break the log call.
    reportProblem('reading the active span', 'no trace fields are written', error);
    return undefined;
  }
}
