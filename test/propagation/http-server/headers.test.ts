import type { IncomingHttpHeaders } from 'node:http';
import {
  MAX_REQUEST_ID_LENGTH,
  readRequestIdHeader,
} from '../../../src/propagation/http-server/headers';

const NAMES = ['x-request-id', 'x-correlation-id'];

describe('readRequestIdHeader', () => {
  it.each([
    ['a plain id', { 'x-request-id': 'abc' }, { index: 0, value: 'abc' }],
    ['the second header', { 'x-correlation-id': 'c' }, { index: 1, value: 'c' }],
    [
      'the first of repeated values',
      { 'x-request-id': ['one', 'two'] },
      { index: 0, value: 'one' },
    ],
    ['spaces inside', { 'x-request-id': 'a b' }, { index: 0, value: 'a b' }],
    [
      'the longest allowed',
      { 'x-request-id': 'x'.repeat(MAX_REQUEST_ID_LENGTH) },
      { index: 0, value: 'x'.repeat(MAX_REQUEST_ID_LENGTH) },
    ],
  ])('reads %s', (_, headers, expected) => {
    expect(readRequestIdHeader(headers as IncomingHttpHeaders, NAMES)).toEqual(expected);
  });

  it.each([
    ['no header', {}],
    ['an empty value', { 'x-request-id': '' }],
    ['blanks only', { 'x-request-id': '   ' }],
    ['an empty array', { 'x-request-id': [] }],
    ['a number', { 'x-request-id': 42 }],
    ['an object', { 'x-request-id': { toString: () => 'x' } }],
    ['a newline (log injection)', { 'x-request-id': 'a\nlevel=error' }],
    ['a NUL', { 'x-request-id': 'a\u0000' }],
    ['DEL', { 'x-request-id': 'a\u007f' }],
    ['non-ASCII', { 'x-request-id': 'caf\u00e9' }],
    ['an emoji', { 'x-request-id': '\u{1f600}' }],
    ['one character too many', { 'x-request-id': 'x'.repeat(MAX_REQUEST_ID_LENGTH + 1) }],
    ['a megabyte', { 'x-request-id': 'x'.repeat(1 << 20) }],
    ['a megabyte of blanks', { 'x-request-id': ' '.repeat(1 << 20) }],
  ])('ignores %s', (_, headers) => {
    expect(readRequestIdHeader(headers as unknown as IncomingHttpHeaders, NAMES)).toBeUndefined();
  });

  it('never reads from the prototype', () => {
    expect(readRequestIdHeader({}, ['constructor', '__proto__', 'toString'])).toBeUndefined();
  });

  it('treats headers whose getter throws as having no id', () => {
    const hostile = Object.defineProperty({}, 'x-request-id', {
      enumerable: true,
      get() {
        throw new Error('hostile');
      },
    }) as IncomingHttpHeaders;
    expect(readRequestIdHeader(hostile, NAMES)).toBeUndefined();
  });
});
