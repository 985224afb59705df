import { context, trace } from '@opentelemetry/api';
import type { Context, SpanContext } from '@opentelemetry/api';
import { reportProblem } from './report-problem.js';

// What one pass over an id found.
const INVALID = 0;
const LOWER_CASE = 1;
const HAS_UPPER_CASE = 2;

/**
 * Whether `id` is a valid trace id (32 hex digits, not all zeros) or span id (16), as the
 * OpenTelemetry API's `isValidTraceId` / `isValidSpanId` decide — either case accepted — but
 * without their regular expression: one char-code pass. Validation runs for every traced request
 * and for every new span a log line meets; `isSpanContextValid` measured ~165 ns per span
 * context on this project's VM (the request start as a whole: `npm run bench -- http`).
 * Anything but a string is invalid. Never throws.
 *
 * @example
 * ```ts
 * isValidHexId('00f067aa0ba902b7', 16); // true
 * ```
 */
export function isValidHexId(id: unknown, length: 32 | 16): boolean {
  return scanHexId(id, length) !== INVALID;
}

/**
 * A valid trace id (`length` 32) or span id (16) — as {@link isValidHexId} decides —
 * lower-cased, as every log format writes ids; else `undefined`. A lower-case id comes back as
 * the same string, not a copy. Never throws.
 *
 * @example
 * ```ts
 * readHexId('4BF92F3577B34DA6A3CE929D0E0E4736', 32); // '4bf92f3577b34da6a3ce929d0e0e4736'
 * ```
 */
export function readHexId(id: unknown, length: 32 | 16): string | undefined {
  const found = scanHexId(id, length);
  if (found === INVALID) return undefined;
  return found === HAS_UPPER_CASE ? (id as string).toLowerCase() : (id as string);
}

// A loop over char codes instead of `toLowerCase()` and a regex: the ids were 13% of the
// record mapping's CPU profile (`npm run bench -- worker`, typical shape).
function scanHexId(id: unknown, length: number): number {
  if (typeof id !== 'string' || id.length !== length) return INVALID;
  let zeros = true;
  let upper = false;
  for (let i = 0; i < length; i++) {
    const code = id.charCodeAt(i);
    if (code === 0x30) continue;
    zeros = false;
    if ((code > 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66)) continue;
    if (code >= 0x41 && code <= 0x46) upper = true;
    else return INVALID;
  }
  if (zeros) return INVALID;
  return upper ? HAS_UPPER_CASE : LOWER_CASE;
}

/**
 * The value of one hex digit's char code (either case), or -1.
 *
 * @example
 * ```ts
 * hexDigit('b'.charCodeAt(0)); // 11
 * ```
 */
export function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}

// The 256 two-digit lower-hex strings, so formatting `trace_flags` is an array read, not a
// `toString(16).padStart(2, '0')` per line.
const TRACE_FLAGS_HEX: readonly string[] = Array.from({ length: 256 }, (_, flags) =>
  flags.toString(16).padStart(2, '0'),
);

/**
 * Formats trace flags as the two lower-hex digits of W3C Trace Context (`"01"`, `"00"`).
 * Only the low 8 bits exist on the wire; anything else is masked off.
 */
export function formatTraceFlags(flags: number): string {
  return TRACE_FLAGS_HEX[flags & 0xff] ?? '00';
}

/**
 * The span context of the span in `ctx`, valid or not, or `undefined` when there is no span.
 * For the hot paths, which cache per span context and validate once per span. Never throws.
 */
export function readAnySpanContext(ctx: Context): SpanContext | undefined {
  try {
    return trace.getSpan(ctx)?.spanContext();
  } catch (error) {
    // A hand-written Span whose spanContext() throws must not break the log call.
    reportProblem('reading the active span', 'no trace fields are written', error);
    return undefined;
  }
}

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
  const spanContext = readAnySpanContext(ctx);
  return spanContext !== undefined && isValid(spanContext) ? spanContext : undefined;
}

/**
 * Whether a span context has valid ids (the API's `isSpanContextValid`, in one char-code
 * pass); a malformed object is simply invalid. Never throws.
 */
export function isValid(spanContext: SpanContext): boolean {
  try {
    return isValidHexId(spanContext.traceId, 32) && isValidHexId(spanContext.spanId, 16);
  } catch {
    return false; // a getter that throws
  }
}
