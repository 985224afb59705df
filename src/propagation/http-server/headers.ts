import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { SpanContext } from '@opentelemetry/api';
import { reportProblem } from '../../core/report-problem.js';
import { readOwn } from '../header-value.js';
import { readRawHeader } from '../carriers.js';
import type { RawHeaderList } from '../carriers.js';
import { formatTraceFlags } from '../../core/span-context.js';

/**
 * The longest request id kept, in characters. Common ids (UUIDs, ULIDs, AWS/GCP trace ids,
 * nginx `$request_id`) fit several times over; a longer value is more likely abuse than an id.
 */
export const MAX_REQUEST_ID_LENGTH = 128;

/** A request id found in the headers, and where. */
export interface RequestIdMatch {
  /** Index of the header in the configured list. */
  readonly index: number;
  readonly value: string;
}

const WHERE = 'reading the request-id header';

/**
 * The first of `names` whose header carries a usable request id: surrounding blanks trimmed,
 * then 1 to {@link MAX_REQUEST_ID_LENGTH} printable ASCII characters (0x20–0x7E). A value with
 * control characters or non-ASCII (log injection, mojibake) or an over-long one is skipped
 * with a `diag` message, and the next header is tried. Of repeated headers the first value
 * counts. `headers` is Node's headers object or its `rawHeaders` list. Never throws.
 *
 * @example
 * ```ts
 * readRequestIdHeader({ 'x-request-id': ' abc ' }, ['x-request-id']); // { index: 0, value: 'abc' }
 * ```
 */
export function readRequestIdHeader(
  headers: IncomingHttpHeaders | RawHeaderList,
  names: readonly string[],
): RequestIdMatch | undefined {
  for (let index = 0; index < names.length; index++) {
    let raw: unknown;
    try {
      const name = names[index];
      raw = Array.isArray(headers) ? readRawHeader(headers, name) : readOwn(headers, name);
    } catch (error) {
      reportProblem(WHERE, 'the request has no request id', error);
      return undefined;
    }
    if (raw === undefined) continue;
    if (Array.isArray(raw)) raw = raw[0];
    if (typeof raw !== 'string') continue;
    const value = sanitize(raw);
    if (value !== undefined) return { index, value };
  }
  return undefined;
}

function sanitize(raw: string): string | undefined {
  // Checked before trimming, so a hostile megabyte of blanks is not scanned.
  if (raw.length > MAX_REQUEST_ID_LENGTH * 2) return reject(TOO_LONG);
  const value = raw.trim();
  if (value === '') return undefined;
  if (value.length > MAX_REQUEST_ID_LENGTH) return reject(TOO_LONG);
  // A char-code loop rather than a regex: the hot path stays free of regex work.
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return reject(NOT_PRINTABLE);
  }
  return value;
}

const TOO_LONG = `ignored a request id longer than ${MAX_REQUEST_ID_LENGTH} characters`;
const NOT_PRINTABLE = 'ignored a request id with characters other than printable ASCII';

function reject(outcome: string): undefined {
  reportProblem(WHERE, outcome);
  return undefined;
}

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
