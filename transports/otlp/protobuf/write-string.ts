import type { ProtoWriter } from './proto-writer.js';
import { varintSize } from './wire-format.js';

// Strings shorter than this are copied by a JavaScript loop; longer ones by Buffer's native
// UTF-8 writer. Measured on Node 20.20 (this 2-core VM, flat strings): the loop costs ~4–5 ns
// a char, `buf.write` ~105–175 ns whatever the length up to 64, so they cross at 24–32 chars.
// Below 43 chars a string's UTF-8 length (≤ 3 bytes a UTF-16 unit) is below 128, so its
// length prefix is always one byte.
const SHORT_STRING = 24;

/**
 * Writes a length-prefixed UTF-8 string, as otlp-transformer's `ProtobufWriter.writeString`
 * does (its `TextEncoder` and Buffer's writer agree: a lone surrogate becomes U+FFFD,
 * `ef bf bd`). Short strings go through a loop that bails out to the native writer at the
 * first non-ASCII char; long ones straight to the native writer, behind a length prefix
 * sized for the all-ASCII case and moved if the UTF-8 turns out longer.
 *
 * @example
 * ```ts
 * writeString(writer, 'héllo'); // 06 68 c3 a9 6c 6c 6f
 * ```
 */
export function writeString(writer: ProtoWriter, value: string): void {
  const length = value.length;
  if (length < SHORT_STRING) {
    writer.ensure(1 + 3 * length);
    const buf = writer.buf;
    const start = writer.pos;
    let pos = start + 1;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code > 0x7f) {
        // Rare in logs: let the native encoder redo it (length still fits one byte).
        const written = buf.write(value, start + 1);
        buf[start] = written;
        writer.pos = start + 1 + written;
        return;
      }
      buf[pos++] = code;
    }
    buf[start] = length;
    writer.pos = pos;
    return;
  }
  // UTF-8 takes at least one byte per UTF-16 unit, so `length` bounds the prefix from below.
  const reserved = varintSize(length);
  const at = writer.pos;
  writer.ensure(5 + 3 * length); // room for the content and for a longer prefix
  writer.pos = at + reserved + writer.buf.write(value, at + reserved);
  writer.finishLength(at, reserved);
}
