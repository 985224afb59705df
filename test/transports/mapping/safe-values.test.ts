import { diag } from '@opentelemetry/api';
import { limitString, toWellFormed } from '../../../transports/mapping/safe-values.js';

describe('toWellFormed', () => {
  it.each([
    ['a lone high surrogate', 'a\uD800b', 'a\uFFFDb'],
    ['a lone low surrogate', 'a\uDC00b', 'a\uFFFDb'],
    ['a high surrogate at the end', 'ab\uD83D', 'ab\uFFFD'],
    ['a reversed pair', '\uDE00\uD83D', '\uFFFD\uFFFD'],
  ])('replaces %s with U+FFFD', (_case, input, expected) => {
    expect(toWellFormed(input)).toBe(expected);
  });

  it('returns a well-formed string itself', () => {
    const text = 'emoji 😀 and ü';
    expect(toWellFormed(text)).toBe(text);
  });
});

describe('limitString', () => {
  const warn = jest.spyOn(diag, 'warn').mockImplementation(() => {});
  afterAll(() => warn.mockRestore());

  describe('with a string within the limit', () => {
    it('keeps it whole', () => {
      expect(limitString('abcd', 4)).toBe('abcd');
    });
  });

  describe('with a string over the limit', () => {
    it('cuts it and says how much was cut', () => {
      expect(limitString('abcdef', 4)).toBe('abcd…[truncated 2 chars]');
    });

    it('never splits a surrogate pair', () => {
      expect(limitString('abc😀def', 4)).toBe('abc…[truncated 5 chars]');
    });

    it('cuts a 5 MB string at 1 MiB', () => {
      const cut = limitString('x'.repeat(5 * 1024 * 1024), 1_048_576);
      expect(cut).toBe(`${'x'.repeat(1_048_576)}…[truncated 4194304 chars]`);
    });

    it('reports the cut through diag', () => {
      limitString('abcdef', 4);
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('tracelink: mapping a long string failed'),
        'undefined',
      );
    });

    it('replaces lone surrogates in what it keeps', () => {
      expect(limitString('a\uD800bcdef', 3)).toBe('a\uFFFDb…[truncated 4 chars]');
    });
  });
});
