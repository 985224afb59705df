// What one pass over an id found.
const INVALID = 0;
const LOWER_CASE = 1;
const HAS_UPPER_CASE = 2;

/**
 * Whether `id` is a valid trace id (32 hex digits, not all zeros) or span id (16), as the
 * OpenTelemetry API's `isValidTraceId` / `isValidSpanId` decide — either case accepted — but
 * without their regular expression: one char-code pass. Validation runs for every traced request
 * and for every new span a log line meets; `isSpanContextValid` measured ~165 ns per span
 * context on this project's VM (the request start as a whole: `node bench/extraction.mjs`).
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
// record mapping's CPU profile (bench/record-mapping.mjs, typical shape).
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
