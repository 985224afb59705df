import fc from 'fast-check';
import {
  ProtoWriter,
  WIRE_LEN,
  tagOf,
  writeString,
} from '../../../transports/encode/proto-writer.js';
import { writeHexId, writeHrTime } from '../../../transports/encode/write-log-record.js';

function written(write: (writer: ProtoWriter) => void): string {
  const writer = new ProtoWriter();
  write(writer);
  return Buffer.from(writer.copyOut()).toString('hex');
}

/** The minimal varint of a non-negative BigInt, as hex (protobuf encoding, "Base 128 Varints"). */
function varintHex(value: bigint): string {
  const out: number[] = [];
  let v = value;
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out).toString('hex');
}

describe('ProtoWriter', () => {
  describe('varint', () => {
    it.each([
      [0, '00'],
      [1, '01'],
      [150, '9601'], // the protobuf encoding guide's example
      [300, 'ac02'],
      [2 ** 32 - 1, 'ffffffff0f'],
      [2 ** 32, '8080808010'],
      [-1, 'ffffffffffffffffff01'],
      [-(2 ** 63), '80808080808080808001'],
    ])('writes %p as %s', (value, hex) => {
      expect(written((w) => w.varint(value))).toBe(hex);
    });

    it('writes any safe integer as the int64 varint of its two’s complement', () => {
      fc.assert(
        fc.property(fc.maxSafeInteger(), (n) => {
          expect(written((w) => w.varint(n))).toBe(varintHex(BigInt.asUintN(64, BigInt(n))));
        }),
      );
    });
  });

  describe('finishLength', () => {
    it.each([
      [1, 5],
      [1, 200],
      [3, 5],
      [3, 20_000],
      [2, 127],
      [2, 128],
    ])(
      'with %i byte(s) reserved and %i written, moves the content behind a minimal prefix',
      (reserved, size) => {
        const body = Buffer.alloc(size, 0xab).toString('hex');
        const hex = written((w) => {
          w.byte(tagOf(1, WIRE_LEN));
          const at = w.startLength(reserved);
          for (let i = 0; i < size; i++) w.byte(0xab);
          w.finishLength(at, reserved);
          w.byte(0x01);
        });
        expect(hex).toBe(`0a${varintHex(BigInt(size))}${body}01`);
      },
    );
  });

  it('lets go, at the next request, of a buffer grown past 4 MiB', () => {
    const writer = new ProtoWriter();
    writer.bytes(new Uint8Array(5 << 20));
    expect(writer.buf.length).toBeGreaterThan(4 << 20);
    writer.reset();
    expect(writer.buf.length).toBe(64 << 10);
    expect(writer.pos).toBe(0);
  });

  it('grows past its first 64 kB, keeping what it wrote', () => {
    const writer = new ProtoWriter();
    const chunk = Buffer.alloc(50_000, 7);
    writer.bytes(chunk);
    writer.bytes(chunk);
    const out = writer.copyOut();
    expect(out.length).toBe(2 * (3 + 50_000));
    expect(out.subarray(3, 50_003)).toEqual(new Uint8Array(chunk));
  });
});

describe('writeString', () => {
  it('writes the UTF-8 of any string, lone surrogates as U+FFFD, with a minimal length', () => {
    const unit = fc.oneof(
      fc.constantFrom('a', 'é', '日', '😀', '\ud800', '\udc00'),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 300 }), (s) => {
        const utf8 = Buffer.from(s, 'utf8');
        expect(written((w) => writeString(w, s))).toBe(
          varintHex(BigInt(utf8.length)) + utf8.toString('hex'),
        );
      }),
    );
  });
});

describe('writeHrTime', () => {
  it('writes seconds * 1e9 + nanos as a little-endian fixed64, like BigInt arithmetic', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 18_446_744_072 }),
        fc.integer({ min: 0, max: 999_999_999 }),
        (seconds, nanos) => {
          const expected = Buffer.alloc(8);
          expected.writeBigUInt64LE(BigInt(seconds) * 1_000_000_000n + BigInt(nanos));
          expect(written((w) => writeHrTime(w, [seconds, nanos]))).toBe(expected.toString('hex'));
        },
      ),
    );
  });
});

describe('writeHexId', () => {
  it('writes a valid id as its bytes, length-prefixed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 16 }), (bytes) => {
        const hex = Buffer.from(bytes).toString('hex');
        expect(written((w) => writeHexId(w, hex))).toBe(varintHex(BigInt(bytes.length)) + hex);
        expect(written((w) => writeHexId(w, hex.toUpperCase()))).toBe(
          varintHex(BigInt(bytes.length)) + hex,
        );
      }),
    );
  });
});
