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
