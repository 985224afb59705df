/**
 * Writes `value` as a 64-bit varint at `pos` and returns the position after it: the
 * `int64` encoding of `AnyValue.int_value` (protobuf "Varints": a negative takes 10 bytes,
 * as 64-bit two's complement). The arithmetic is `ProtobufWriter.writeVarint`'s from
 * `@opentelemetry/otlp-transformer`, step for step, so that any number — integers beyond
 * 2^53, `-(2^63)`, and the odd non-integer a hand-built record carries — encodes as theirs.
 *
 * @example
 * ```ts
 * const buf = new Uint8Array(10);
 * writeVarint64(buf, 0, -1); // 10; buf is ff ff ff ff ff ff ff ff ff 01
 * ```
 */
export function writeVarint64(buf: Uint8Array, pos: number, value: number): number {
  let low: number;
  let high: number;
  if (value >= 0) {
    low = value >>> 0;
    high = (value / 0x100000000) >>> 0;
  } else {
    // Two's complement of |value|: invert both halves, add one with carry.
    const abs = Math.abs(value);
    low = ~(abs >>> 0) >>> 0;
    high = ~((abs / 0x100000000) >>> 0) >>> 0;
    low = (low + 1) >>> 0;
    if (low === 0) high = (high + 1) >>> 0;
  }
  while (high > 0 || low > 0x7f) {
    buf[pos++] = (low & 0x7f) | 0x80;
    low = ((low >>> 7) | (high << 25)) >>> 0;
    high >>>= 7;
  }
  buf[pos++] = low & 0x7f;
  return pos;
}
