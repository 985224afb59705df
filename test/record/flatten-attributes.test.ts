import { flattenAttributes } from '../../transports/mapping/values.js';

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
