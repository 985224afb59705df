import fc from 'fast-check';
import pino from 'pino';
import { parseJsonLine } from '../../../transports/mapping/json-values.js';
import { mapPinoRecord, resolvePinoMapping } from '../../../transports/mapping/pino.js';
import { parsePinoLine } from '../../../transports/mapping/json-values.js';
import { CaptureStream } from '../../helpers/capture-stream.js';

describe('parseJsonLine', () => {
  it.each([
    ['an integer a double holds', '42', 42],
    ['the largest safe integer', '9007199254740991', 9007199254740991],
    ['2^53, exact in a double', '9007199254740992', 9007199254740992],
    ['2^53 + 1, which a double cannot hold', '9007199254740993', '9007199254740993'],
    ['a negative one', '-9007199254740993', '-9007199254740993'],
    ['a BigInt beyond int64', '12345678901234567890123', '12345678901234567890123'],
    // What JSON.stringify writes for the number 2 ** 63: the digits JavaScript prints for it.
    ['a JavaScript number beyond 2^53, as JSON.stringify wrote it', '9223372036854776000', 2 ** 63],
    ['an exponent', '1e+22', 1e22],
    [
      'a fraction with more digits than a double holds',
      '0.12345678901234567890',
      0.12345678901234568,
    ],
    ['a long fraction', '12345678901234567890.5', Number('12345678901234567890.5')],
  ])('reads %s (%s) as %p', (_name, literal, expected) => {
    expect(parseJsonLine(`{"n":${literal},"list":[${literal}]}`)).toEqual({
      n: expected,
      list: [expected],
    });
  });

  it('leaves strings alone: digits, quotes and escapes inside them are text', () => {
    const line = String.raw`{"s":"12345678901234567890123","t":"a\"b:12345678901234567890,","u":"\\","v":12345678901234567890123}`;
    expect(parseJsonLine(line)).toEqual({
      s: '12345678901234567890123',
      t: 'a"b:12345678901234567890,',
      u: '\\',
      v: '12345678901234567890123',
    });
  });

  it('reads every big integer of a line, keys and nesting whatever they are', () => {
    const line =
      '{"a":[1,{"b":-99999999999999999999}],"12345678901234567890":{"c":18446744073709551616}}';
    expect(parseJsonLine(line)).toEqual({
      a: [1, { b: '-99999999999999999999' }],
      '12345678901234567890': { c: '18446744073709551616' },
    });
  });

  it('throws what JSON.parse throws', () => {
    expect(() => parseJsonLine('{"n":1')).toThrow(SyntaxError);
  });

  it('reads, for any JSON value, what JSON.parse reads, but big integers as their digits', () => {
    const big = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        big,
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
      ),
    }));
    // JSON with each BigInt as a bare number, as pino (safe-stable-stringify) writes it.
    const write = (v: unknown): string =>
      JSON.stringify(v, (_key, x: unknown) => (typeof x === 'bigint' ? `#${x}#` : x)).replace(
        /"#(-?\d+)#"/g,
        '$1',
      );
    // What the line should read as: a BigInt a double holds as a number, any other as digits.
    const expected = (v: unknown): unknown => {
      if (typeof v === 'bigint') return String(Number(v)) === String(v) ? Number(v) : String(v);
      if (Array.isArray(v)) return v.map(expected);
      if (typeof v === 'object' && v !== null) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expected(x)]));
      }
      return typeof v === 'number' ? (JSON.parse(JSON.stringify(v)) as number) : v;
    };
    fc.assert(
      fc.property(value, (v) => {
        expect(parseJsonLine(write(v))).toEqual(expected(v));
      }),
      { numRuns: 500 },
    );
  });
});

describe('a pino line with a BigInt field', () => {
  it('pino writes the BigInt as a bare JSON number, all its digits', () => {
    const stream = new CaptureStream();
    pino({ base: undefined, timestamp: false }, stream).info({ id: 12345678901234567890123n });
    expect(stream.raw[0]).toBe('{"level":30,"id":12345678901234567890123}');
  });

  it('reaches the record as its exact decimal string, as a BigInt does through winston', () => {
    const stream = new CaptureStream();
    pino(stream).info({ id: 12345678901234567890123n, small: 5n, big: 2n ** 64n }, 'signed up');
    const line = parsePinoLine(stream.raw[0] ?? '', 'msg');
    const record = mapPinoRecord(line, resolvePinoMapping(), 0, true);
    expect(record.attributes).toEqual({
      id: '12345678901234567890123',
      // pino writes 5n as 5: the line cannot tell it from the number 5.
      small: 5,
      big: '18446744073709551616',
    });
  });
});
