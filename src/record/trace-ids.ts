import { hexDigit, readHexId } from '../context/valid-ids.js';

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
  return readHexId(value, 32);
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
  return readHexId(value, 16);
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
  if (typeof value === 'string') {
    if (value.length !== 2) return undefined;
    const high = hexDigit(value.charCodeAt(0));
    const low = hexDigit(value.charCodeAt(1));
    return high < 0 || low < 0 ? undefined : high * 16 + low;
  }
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
