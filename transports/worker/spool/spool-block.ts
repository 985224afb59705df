import * as zlib from 'node:zlib';

/**
 * The spool's file format. A segment file starts with a line naming the format and what its
 * lines are (`tracelink-spool 1 pino`), then holds blocks, one per write:
 *
 *     @<payload bytes> <records> <crc32 of the payload, 8 hex digits>\n<line>\n<line>\n…
 *
 * One CRC per block (a write of up to ~64 KiB), not per record: a torn write (the process
 * killed mid-write) or a damaged block is found and skipped as a whole, counted by its header's
 * record count, and the length in the header finds the next block without scanning lines.
 */
export const FILE_HEADER_PREFIX = 'tracelink-spool 1 ';

// '@' + 10 digits + ' ' + 10 digits + ' ' + 8 hex digits + '\n', with room to spare.
const MAX_HEADER_BYTES = 40;
const HEADER = /^@(\d{1,10}) (\d{1,10}) ([0-9a-f]{8})\n/;

/** The CRC-32 of `data` (zlib's; a table in JS on Node versions before 20.15 that lack it). */
export const crc32: (data: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (data) => (zlib as unknown as { crc32(d: Uint8Array): number }).crc32(data)
    : tableCrc32;

let table: Uint32Array | undefined;
function tableCrc32(data: Uint8Array): number {
  if (table === undefined) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = table[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The first line of a segment file whose lines are of `format`. */
export function fileHeader(format: string): Buffer {
  return Buffer.from(`${FILE_HEADER_PREFIX}${format}\n`);
}

/**
 * One block of `lines` (each without its newline): its header and payload, to write one after
 * the other (`writev`: no copy into one buffer).
 *
 * @example
 * ```ts
 * const { header, payload } = encodeBlockParts(lines);
 * await handle.writev([header, payload], position);
 * ```
 */
export function encodeBlockParts(lines: readonly string[]): { header: Buffer; payload: Buffer } {
  const payload = Buffer.from(`${lines.join('\n')}\n`);
  const crc = crc32(payload).toString(16).padStart(8, '0');
  const header = Buffer.from(`@${payload.length} ${lines.length} ${crc}\n`);
  return { header, payload };
}

/**
 * One block of `lines` (each without its newline), header included, in one buffer.
 *
 * @example
 * ```ts
 * fs.appendFileSync(path, encodeBlock(['{"msg":"a"}', '{"msg":"b"}']));
 * ```
 */
export function encodeBlock(lines: readonly string[]): Buffer {
  const { header, payload } = encodeBlockParts(lines);
  return Buffer.concat([header, payload], header.length + payload.length);
}

/** What is found at a block's offset. */
export type BlockRead =
  /** A whole, intact block: its lines, and its size with the header. */
  | { readonly kind: 'block'; readonly lines: string[]; readonly size: number }
  /** A whole block, not verified (`verify: false`): its record count and size. */
  | { readonly kind: 'counted'; readonly records: number; readonly size: number }
  /** A whole block whose payload does not match its CRC or record count. */
  | { readonly kind: 'corrupt'; readonly records: number; readonly size: number }
  /** The bytes given end inside the block: `need` bytes from its offset hold it all. */
  | { readonly kind: 'incomplete'; readonly need: number; readonly records: number }
  /** No block header here: the rest of the file cannot be read. */
  | { readonly kind: 'unreadable' };

/**
 * Reads the block at `at` in `data`. `verify: false` skips the CRC and the payload's decoding
 * (counting records by the headers alone).
 *
 * @example
 * ```ts
 * const read = readBlock(chunk, 0, true);
 * if (read.kind === 'block') for (const line of read.lines) send(line);
 * ```
 */
export function readBlock(data: Buffer, at: number, verify: boolean): BlockRead {
  const headerEnd = data.indexOf(0x0a, at);
  if (headerEnd === -1 || headerEnd - at >= MAX_HEADER_BYTES) {
    // Too short to tell: more bytes may hold a header; else none is here.
    return data.length - at < MAX_HEADER_BYTES && startsLikeHeader(data, at)
      ? { kind: 'incomplete', need: MAX_HEADER_BYTES, records: 1 }
      : { kind: 'unreadable' };
  }
  const match = HEADER.exec(data.toString('latin1', at, headerEnd + 1));
  if (match === null) return { kind: 'unreadable' };
  const payloadBytes = Number(match[1]);
  const records = Number(match[2]);
  const size = headerEnd + 1 - at + payloadBytes;
  if (data.length - at < size) return { kind: 'incomplete', need: size, records };
  if (!verify) return { kind: 'counted', records, size };
  const payload = data.subarray(headerEnd + 1, at + size);
  const crc = crc32(payload).toString(16).padStart(8, '0');
  if (crc !== match[3] || payload[payload.length - 1] !== 0x0a) {
    return { kind: 'corrupt', records, size };
  }
  const lines = payload.toString('utf8', 0, payload.length - 1).split('\n');
  if (lines.length !== records) return { kind: 'corrupt', records, size };
  return { kind: 'block', lines, size };
}

function startsLikeHeader(data: Buffer, at: number): boolean {
  if (at >= data.length) return true;
  if (data[at] !== 0x40) return false; // '@'
  for (let i = at + 1; i < data.length; i++) {
    const byte = data[i];
    if (byte !== 0x20 && (byte < 0x30 || byte > 0x39) && (byte < 0x61 || byte > 0x66)) {
      return false;
    }
  }
  return true;
}
