/**
 * Wire types of the protobuf encoding (protobuf.dev/programming-guides/encoding, "Message
 * Structure"): the low three bits of a tag.
 */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

/**
 * The tag of a field: `field << 3 | wireType`, one byte for the fields below 16 — every
 * field an OTLP logs request uses.
 *
 * @example
 * ```ts
 * tagOf(9, WIRE_LEN); // 0x4a, LogRecord.trace_id
 * ```
 */
export const tagOf = (field: number, wireType: number): number => (field << 3) | wireType;

/**
 * Bytes of the varint for a length (0 ≤ n < 2^32).
 *
 * @example
 * ```ts
 * varintSize(127); // 1
 * varintSize(128); // 2
 * ```
 */
export function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}
