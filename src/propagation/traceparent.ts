import type { SpanContext } from '@opentelemetry/api';
import { hexDigit } from '../context/valid-ids.js';

// `00-` + 32 + `-` + 16 + `-` + 2: the length of a version-00 traceparent (§3.2.2).
const VERSION_00_LENGTH = 55;
const DASH = 0x2d;

// W3C Trace Context Level 2 §3.2.2.5: only `sampled` (0x01) and `random-trace-id` (0x02) are
// defined; "Vendors MUST set those [other flags] to zero."
export const KNOWN_TRACE_FLAGS = 0x03;

/**
 * Parses a `traceparent` value (W3C Trace Context Level 2 §3.2, surrounding whitespace already
 * trimmed) into a remote span context, or `undefined` when it is invalid: version `ff`,
 * upper-case or non-hex digits, all-zero ids, wrong lengths, data after a version-00 value, or
 * a future version whose extra data does not start with `-` (§3.2.4). Unknown flags are zeroed
 * (§3.2.2.5). Never throws.
 *
 * OpenTelemetry's `parseTraceParent` accepts and rejects the same values (a property test
 * checks it) with one regular expression; this single char-code pass measured ~1.7× faster
 * (`node bench/extraction.mjs`: 233 vs 404 ns on this project's VM). It runs on every request.
 *
 * @example
 * ```ts
 * parseTraceParent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
 * // { traceId: '4bf9…4736', spanId: '00f0…02b7', traceFlags: 1, isRemote: true }
 * ```
 */
export function parseTraceParent(value: string): SpanContext | undefined {
  if (value.length < VERSION_00_LENGTH) return undefined;
  if (!isLowerHex(value, 0, 2) || value.charCodeAt(2) !== DASH) return undefined;
  if (value.startsWith('ff')) return undefined; // §3.2.2.1: version ff is invalid
  if (value.length > VERSION_00_LENGTH) {
    // §3.2.4: a version-00 value has nothing after the flags; a future one may, after a dash.
    if (value.startsWith('00') || value.charCodeAt(VERSION_00_LENGTH) !== DASH) return undefined;
  }
  if (value.charCodeAt(35) !== DASH || value.charCodeAt(52) !== DASH) return undefined;
  if (!isLowerHex(value, 3, 35) || isAllZeros(value, 3, 35)) return undefined;
  if (!isLowerHex(value, 36, 52) || isAllZeros(value, 36, 52)) return undefined;
  if (!isLowerHex(value, 53, 55)) return undefined;
  return {
    traceId: value.slice(3, 35),
    spanId: value.slice(36, 52),
    // Only the last digit matters: both known flags live in its low bits.
    traceFlags: hexDigit(value.charCodeAt(54)) & KNOWN_TRACE_FLAGS,
    isRemote: true,
  };
}

function isLowerHex(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    // 0-9 or a-f: upper case is invalid in every traceparent field (§3.2.2).
    if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66))) return false;
  }
  return true;
}

function isAllZeros(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) !== 0x30) return false;
  return true;
}
