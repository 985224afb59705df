import { diag } from '@opentelemetry/api';
import {
  ValueConverter,
  toAnyValue,
  flattenAttributes,
} from '../../../transports/mapping/values.js';
import type { AnyValue } from '@opentelemetry/api-logs';

const converter = () => new ValueConverter({ maxStringLength: 1_048_576, maxDepth: 32 });

describe('ValueConverter', () => {
  const warn = jest.spyOn(diag, 'warn').mockImplementation(() => {});
  afterAll(() => warn.mockRestore());

  describe('convertRecord', () => {
    it('converts every field but those skipped', () => {
      const record = { msg: 'x', user: 'ada', n: 1 };
      expect(converter().convertRecord(record, (key) => key === 'msg')).toStrictEqual({
        user: 'ada',
        n: 1,
      });
    });

    it('maps a field that refers back to the record as "[Circular]"', () => {
      const record: Record<string, unknown> = { a: 1 };
      record.me = record;
      expect(converter().convertRecord(record, () => false)).toStrictEqual({
        a: 1,
        me: '[Circular]',
      });
    });

    it('gives an empty map, reported, when the keys cannot be listed', () => {
      const hostile = new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error('no keys');
          },
        },
      );
      expect(converter().convertRecord(hostile, () => false)).toStrictEqual({});
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('listing the fields of a log record failed'),
        'Error: no keys',
      );
    });

    it('counts depth from the record: its fields are at depth + 1', () => {
      const shallow = new ValueConverter({ maxStringLength: 1024, maxDepth: 1 });
      expect(shallow.convertRecord({ a: { b: 1 } }, () => false, 1)).toStrictEqual({
        a: '[Truncated: depth]',
      });
    });
  });

  describe('convert', () => {
    it('keeps an Error’s class as its type over an own `type` field, as pino does', () => {
      const error = Object.assign(new SyntaxError('bad json'), { type: 'entity.parse.failed' });
      expect(converter().convert(error, 1)).toStrictEqual({
        type: 'SyntaxError',
        message: 'bad json',
        stack: error.stack,
      });
    });

    it('converts a Map key that is a symbol by its description', () => {
      expect(converter().convert(new Map([[Symbol('k'), 1]]), 1)).toStrictEqual({ 'Symbol(k)': 1 });
    });

    it('asks toJSON() once, and takes an object result with its own toJSON field by field', () => {
      const inner = { a: 1, toJSON: () => 'never called' };
      const outer = { toJSON: () => inner };
      expect(converter().convert(outer, 1)).toStrictEqual({ a: 1 });
    });

    it('maps a value whose toJSON() throws as "[Unreadable]"', () => {
      const value = {
        toJSON: () => {
          throw new Error('no');
        },
      };
      expect(converter().convert({ value }, 1)).toStrictEqual({ value: '[Unreadable]' });
    });
  });
});

const LIMITS = { maxStringLength: 1_048_576, maxDepth: 32 };
const convert = (value: unknown, limits = LIMITS): AnyValue => toAnyValue(value, limits);

function circular() {
  const node: Record<string, unknown> = { name: 'root' };
  node.self = node;
  return node;
}

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < depth; i++) value = { next: value };
  return value;
}

function throwingGetter(): object {
  return new Proxy(
    { ok: 1, bad: 2 },
    {
      get(target, key) {
        if (key === 'bad') throw new Error('no access');
        return Reflect.get(target, key) as unknown;
      },
    },
  );
}

describe('toAnyValue', () => {
  const warn = jest.spyOn(diag, 'warn').mockImplementation(() => {});
  afterAll(() => warn.mockRestore());

  describe('with values AnyValue carries', () => {
    it.each([
      ['a string', 'text', 'text'],
      ['a number', 1.5, 1.5],
      ['a boolean', false, false],
      ['null', null, null],
      ['an array', [1, 'a', null], [1, 'a', null]],
      ['a nested object', { a: { b: [1] } }, { a: { b: [1] } }],
    ])('keeps %s', (_case, value, expected) => {
      expect(convert(value)).toStrictEqual(expected);
    });
  });

  describe('with hostile values', () => {
    it.each<[string, unknown, AnyValue]>([
      ['a circular reference', circular(), { name: 'root', self: '[Circular]' }],
      [
        'a circular array',
        (() => {
          const a: unknown[] = [1];
          a.push(a);
          return a;
        })(),
        [1, '[Circular]'],
      ],
      ['a BigInt', 12345678901234567890n, '12345678901234567890'],
      ['a Symbol', Symbol('tag'), 'Symbol(tag)'],
      ['a Buffer', Buffer.from('hi'), new Uint8Array([104, 105])],
      ['a Uint8Array', new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])],
      ['an ArrayBuffer', new Uint8Array([7]).buffer, new Uint8Array([7])],
      ['a Float64Array', new Float64Array([0.5, 2]), [0.5, 2]],
      [
        'a Map',
        new Map<unknown, unknown>([
          ['a', 1],
          [2, 'two'],
          [true, null],
        ]),
        { a: 1, 2: 'two', true: null },
      ],
      ['a Set', new Set([1, 'a']), [1, 'a']],
      ['a Date', new Date(0), '1970-01-01T00:00:00.000Z'],
      ['an invalid Date', new Date(NaN), 'Invalid Date'],
      ['NaN', NaN, 'NaN'],
      ['Infinity', Infinity, 'Infinity'],
      ['-Infinity', -Infinity, '-Infinity'],
      ['a function (dropped)', () => 1, undefined],
      ['undefined (dropped)', undefined, undefined],
      ['a map field holding a function or undefined', { f: () => 1, u: undefined, k: 1 }, { k: 1 }],
      ['an array holding a function or undefined', [() => 1, undefined, 1], [null, null, 1]],
      ['a sparse array', [1, , 3], [1, null, 3]], // eslint-disable-line no-sparse-arrays
      ['a lone surrogate in a value', 'a\uD800', 'a\uFFFD'],
      ['a lone surrogate in a key', { ['k\uDC00']: 1 }, { 'k\uFFFD': 1 }],
      ['a boxed string', new String('boxed'), 'boxed'],
      ['an object with toJSON', { toJSON: () => ({ id: 7 }) }, { id: 7 }],
      ['a getter that throws', throwingGetter(), { ok: 1, bad: '[Unreadable]' }],
      [
        'a Proxy whose keys cannot be listed',
        new Proxy(
          {},
          {
            ownKeys() {
              throw new Error('no');
            },
          },
        ),
        '[Unreadable]',
      ],
      [
        'a revoked Proxy',
        (() => {
          const p = Proxy.revocable({}, {});
          p.revoke();
          return p.proxy;
        })(),
        '[Unreadable]',
      ],
    ])('maps %s', (_case, value, expected) => {
      expect(convert(value)).toStrictEqual(expected);
    });

    it('maps a shared (non-circular) reference twice, in full', () => {
      const shared = { id: 1 };
      expect(convert({ a: shared, b: shared })).toEqual({ a: { id: 1 }, b: { id: 1 } });
    });

    it('maps an Error to { type, message, stack, …own props }', () => {
      class DbError extends Error {
        code = 'E_DB';
      }
      const error = new DbError('down', { cause: 'disk' });
      expect(convert({ error })).toEqual({
        error: {
          type: 'DbError',
          message: 'down',
          stack: error.stack,
          cause: 'disk',
          code: 'E_DB',
        },
      });
    });

    it('copies bytes, so later changes to a Buffer do not leak in', () => {
      const buffer = Buffer.from([1, 2]);
      const bytes = convert(buffer) as Uint8Array;
      buffer[0] = 9;
      expect(bytes).toEqual(new Uint8Array([1, 2]));
      expect(Buffer.isBuffer(bytes)).toBe(false);
    });

    it('cuts byte arrays at maxStringLength', () => {
      expect(convert(Buffer.alloc(10), { ...LIMITS, maxStringLength: 4 })).toEqual(
        new Uint8Array(4),
      );
    });
  });

  describe('with keys that name prototype members', () => {
    it('keeps __proto__ and constructor as ordinary keys, touching no prototype', () => {
      const input = JSON.parse(
        '{"__proto__":{"polluted":true},"constructor":{"prototype":1}}',
      ) as object;
      const mapped = convert(input) as Record<string, unknown>;
      expect(Object.keys(mapped)).toEqual(['__proto__', 'constructor']);
      expect(Object.getOwnPropertyDescriptor(mapped, '__proto__')?.value).toEqual({
        polluted: true,
      });
      expect(mapped.constructor).toEqual({ prototype: 1 });
      expect(Object.getPrototypeOf(mapped)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('with deep nesting', () => {
    it('keeps 32 levels and replaces the 33rd', () => {
      let level = convert(nested(1000)) as Record<string, AnyValue>;
      for (let depth = 1; depth < 32; depth++) level = level.next as Record<string, AnyValue>;
      expect(level).toEqual({ next: '[Truncated: depth]' });
    });

    it('honours a smaller maxDepth', () => {
      expect(convert({ a: { b: { c: 1 } } }, { ...LIMITS, maxDepth: 2 })).toEqual({
        a: { b: '[Truncated: depth]' },
      });
    });

    it('counts arrays as levels too', () => {
      expect(convert([[[1]]], { ...LIMITS, maxDepth: 2 })).toEqual([['[Truncated: depth]']]);
    });
  });

  describe('with long strings', () => {
    it('cuts a 5 MB string to maxStringLength with a suffix', () => {
      const mapped = convert({ big: 'y'.repeat(5 * 1024 * 1024) }) as Record<string, string>;
      expect(mapped.big).toHaveLength(1_048_576 + '…[truncated 4194304 chars]'.length);
      expect(mapped.big?.endsWith('y…[truncated 4194304 chars]')).toBe(true);
    });

    it('limits keys too', () => {
      expect(convert({ abcdef: 1 }, { ...LIMITS, maxStringLength: 3 })).toEqual({
        'abc…[truncated 3 chars]': 1,
      });
    });
  });
});

describe('flattenAttributes', () => {
  it.each([
    ['nested maps into dotted keys', { a: { b: { c: 1 } }, d: 2 }, { 'a.b.c': 1, d: 2 }],
    ['arrays as they are', { list: [{ x: 1 }] }, { list: [{ x: 1 }] }],
    ['an empty map under its key', { empty: {} }, { empty: {} }],
    ['bytes as they are', { bytes: new Uint8Array([1]) }, { bytes: new Uint8Array([1]) }],
    ['meeting paths, the later winning', { 'a.b': 1, a: { b: 2 } }, { 'a.b': 2 }],
  ])('flattens %s', (_case, input, expected) => {
    expect(flattenAttributes(input)).toStrictEqual(expected);
  });

  it('keeps __proto__ keys as ordinary keys, touching no prototype', () => {
    const input = JSON.parse('{"__proto__":{"x":1},"top":{"__proto__":2}}') as Record<
      string,
      never
    >;
    expect(Object.keys(flattenAttributes(input))).toEqual(['__proto__.x', 'top.__proto__']);
    const single = flattenAttributes(JSON.parse('{"__proto__":1}') as Record<string, never>);
    expect(Object.getOwnPropertyDescriptor(single, '__proto__')?.value).toBe(1);
    expect(Object.getPrototypeOf(single)).toBe(Object.prototype);
  });
});
