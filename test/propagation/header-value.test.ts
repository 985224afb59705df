import { MAX_HEADER_VALUE_LENGTH, MAX_HEADER_VALUES } from 'tracelink/propagation';
import { readOwn, toHeaderValue, writeOwn } from '../../src/propagation/header-value.js';

describe('toHeaderValue', () => {
  it.each<[string, unknown, string | string[] | undefined]>([
    ['a string', 'a', 'a'],
    ['a Buffer, as UTF-8', Buffer.from('Jörg'), 'Jörg'],
    ['a Uint8Array', new TextEncoder().encode('a'), 'a'],
    ['one array item, unwrapped', ['a'], 'a'],
    ['array items, skipping non-strings', ['a', 1, Buffer.from('b')], ['a', 'b']],
    ['undefined', undefined, undefined],
    ['null', null, undefined],
    ['a number', 1, undefined],
    ['an object', {}, undefined],
    ['an empty array', [], undefined],
    [
      'a string at the limit',
      'x'.repeat(MAX_HEADER_VALUE_LENGTH),
      'x'.repeat(MAX_HEADER_VALUE_LENGTH),
    ],
    ['a string over the limit', 'x'.repeat(MAX_HEADER_VALUE_LENGTH + 1), undefined],
    ['a Buffer over the limit', Buffer.alloc(MAX_HEADER_VALUE_LENGTH + 1), undefined],
  ])('reads %s', (_, raw, expected) => {
    expect(toHeaderValue(raw, 'test')).toEqual(expected);
  });

  it(`keeps the first ${MAX_HEADER_VALUES} values of a longer array`, () => {
    const values = Array.from({ length: MAX_HEADER_VALUES + 10 }, (_, i) => String(i));
    expect(toHeaderValue(values, 'test')).toEqual(values.slice(0, MAX_HEADER_VALUES));
  });
});

describe('readOwn / writeOwn', () => {
  it('never reads or writes a prototype', () => {
    const record = {};
    expect(readOwn(record, 'toString')).toBeUndefined();
    writeOwn(record, '__proto__', 'x');
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(readOwn(record, '__proto__')).toBe('x');
  });
});
