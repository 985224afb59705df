import { INVALID_SPANID, INVALID_TRACEID } from '@opentelemetry/api';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const TRACE_FLAGS = /^[0-9a-f]{2}$/i;
// Google Cloud's trace resource name; the bare id is accepted too (some loggers write it).
const GCP_TRACE = /^projects\/[^/]+\/traces\/([0-9a-fA-F]{32})$/;

/**
 * A trace id from a log field, lower-cased, when it is 32 hex digits and not all zero (W3C
 * Trace Context); else `undefined`.
 *
 * @example
 * ```ts
 * parseTraceId('4BF92F3577B34DA6A3CE929D0E0E4736'); // '4bf92f3577b34da6a3ce929d0e0e4736'
 * ```
 */
export function parseTraceId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.toLowerCase();
  return TRACE_ID.test(id) && id !== INVALID_TRACEID ? id : undefined;
}

/**
 * A span id from a log field, lower-cased, when it is 16 hex digits and not all zero.
 *
 * @example
 * ```ts
 * parseSpanId('00f067aa0ba902b7'); // '00f067aa0ba902b7'
 * ```
 */
export function parseSpanId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.toLowerCase();
  return SPAN_ID.test(id) && id !== INVALID_SPANID ? id : undefined;
}

/**
 * Trace flags from a log field: two hex digits (`"01"`), or an integer 0–255; else
 * `undefined`.
 *
 * @example
 * ```ts
 * parseTraceFlags('01'); // 1
 * parseTraceFlags(1); // 1
 * ```
 */
export function parseTraceFlags(value: unknown): number | undefined {
  if (typeof value === 'string') return TRACE_FLAGS.test(value) ? parseInt(value, 16) : undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xff) {
    return value;
  }
  return undefined;
}

/**
 * The trace id inside Google Cloud's `logging.googleapis.com/trace`
 * (`projects/<project>/traces/<hex>`, or the bare hex), lower-cased; else `undefined`.
 *
 * @example
 * ```ts
 * parseGcpTrace('projects/p/traces/4bf92f3577b34da6a3ce929d0e0e4736'); // '4bf9…4736'
 * ```
 */
export function parseGcpTrace(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return parseTraceId(GCP_TRACE.exec(value)?.[1] ?? value);
}
