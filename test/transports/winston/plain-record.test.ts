import { isPlainRecord } from '../../../transports/winston/plain-record.js';

const limits = { maxStringLength: 16, maxDepth: 3 };

function nested(depth: number): object {
  let value: object = { leaf: 1 };
  for (let i = 1; i < depth; i++) value = { down: value };
  return value;
}

function circular(): object {
  const node: Record<string, unknown> = { name: 'n' };
  node.self = node;
  return node;
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('isPlainRecord', () => {
  describe('with plain data only', () => {
    it.each<[string, object]>([
      ['an empty record', {}],
      ['strings, booleans, null and undefined', { a: 'x', b: true, c: null, d: undefined }],
      ['finite numbers, -0 and integers beyond 2^53', { a: 1.5, b: -0, c: 2 ** 63, d: -1e300 }],
      ['nested objects and arrays', { user: { id: 7, tags: ['a', ['b']] } }],
      ['a null-prototype object', Object.assign(Object.create(null) as object, { a: 1 })],
      // eslint-disable-next-line no-sparse-arrays -- the hole is the case
      ['array holes and functions', { list: [1, , () => 1], callback: () => 1 }],
      ['a string of maxStringLength', { s: 'x'.repeat(16) }],
      ['nesting of maxDepth', { a: nested(3) }],
      ['lone surrogates and newlines', { s: '\ud800\n\u2028' }],
      ['winston’s Symbol-keyed fields', { level: 'info', [Symbol.for('level')]: 'info' }],
      ['a symbol-keyed non-plain value', { [Symbol('x')]: new Error('not a field') }],
    ])('takes %s', (_case, info) => {
      expect(isPlainRecord(info, limits)).toBe(true);
    });
  });

  describe('with anything JSON does not carry as the mapping reads it', () => {
    const throwing = {
      get boom(): never {
        throw new Error('getter');
      },
    };
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    it.each<[string, unknown]>([
      ['an Error', new Error('boom')],
      ['an AggregateError', new AggregateError([new Error('a')], 'many')],
      ['a Buffer', Buffer.from('hi')],
      ['a Uint8Array', new Uint8Array([1])],
      ['a Map', new Map([[1, 2]])],
      ['a Set', new Set([1])],
      ['a Date', new Date(0)],
      ['a BigInt', 10n],
      ['a symbol', Symbol('s')],
      ['NaN', NaN],
      ['Infinity', -Infinity],
      ['a class instance', new Point(1, 2)],
      ['a toJSON method', { toJSON: () => 'x' }],
      ['a boxed string', new String('x')],
      ['a circular reference', circular()],
      ['nesting deeper than maxDepth', nested(4)],
      ['a string longer than maxStringLength', 'x'.repeat(17)],
      ['a getter that throws', throwing],
      ['a revoked Proxy', revoked.proxy],
      ['any of those inside an array', [1, [new Error('deep')]]],
    ])('refuses %s', (_case, value) => {
      expect(isPlainRecord({ level: 'info', message: 'x', value }, limits)).toBe(false);
    });

    it.each<[string, unknown]>([
      ['an Error', new Error('boom')],
      ['a class instance', new Point(1, 2)],
      ['a revoked Proxy', revoked.proxy],
      ['not an object', 'text'],
    ])('refuses a record that is %s', (_case, info) => {
      expect(isPlainRecord(info as object, limits)).toBe(false);
    });
  });
});
