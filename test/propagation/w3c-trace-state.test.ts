import { W3CTraceState, parseTraceState } from '../../src/propagation/trace-context-propagator';

const members = (count: number) => Array.from({ length: count }, (_, i) => `k${i}=${i}`).join(',');

describe('W3CTraceState', () => {
  describe('parse (Level 2 grammar, §3.3.1)', () => {
    it.each([
      ['a digit-first key', '1foo=1', '1foo=1'],
      ['a key ending in @', 'foo@=1', 'foo@=1'],
      ['several @ in a key', 'foo@bar@baz=1', 'foo@bar@baz=1'],
      ['every keychar', 'a0_-*/@=1', 'a0_-*/@=1'],
      ['a key of 256 characters', `${'k'.repeat(256)}=1`, `${'k'.repeat(256)}=1`],
      ['a value of 256 characters', `k=${'v'.repeat(256)}`, `k=${'v'.repeat(256)}`],
      ['a value with inner spaces', 'k=a b', 'k=a b'],
      ['empty members and OWS', ' a=1 ,, \t b=2 ', 'a=1,b=2'],
      ['32 members', members(32), members(32)],
    ])('keeps %s', (_, header, serialized) => {
      expect(W3CTraceState.parse(header)?.serialize()).toBe(serialized);
    });

    it.each([
      ['an upper-case key', 'Foo=1,b=2'],
      ['a key starting with _', '_foo=1,b=2'],
      ['a key of 257 characters', `${'k'.repeat(257)}=1,b=2`],
      ['a value of 257 characters', `k=${'v'.repeat(257)},b=2`],
      ['a value with a tab', 'k=a\tb,b=2'],
      ['an empty value', 'k=,b=2'],
      ['a value with =', 'k=a=b,b=2'],
      ['a member without =', 'k,b=2'],
      ['a non-ASCII value', 'k=é,b=2'],
    ])('drops %s and keeps the valid members', (_, header) => {
      expect(W3CTraceState.parse(header)?.serialize()).toBe('b=2');
    });

    it('keeps the first value of a repeated key', () => {
      expect(W3CTraceState.parse('a=1,b=2,a=3')?.serialize()).toBe('a=1,b=2');
    });

    it('rejects a list of 33 members', () => {
      expect(W3CTraceState.parse(members(33))).toBeUndefined();
    });

    it('combines repeated headers in order', () => {
      expect(parseTraceState(['a=1', 'b=2'])?.serialize()).toBe('a=1,b=2');
      expect(parseTraceState(undefined)).toBeUndefined();
    });
  });

  describe('set and unset (§3.5)', () => {
    const state = W3CTraceState.parse('a=1,b=2,c=3') as W3CTraceState;

    it('moves a set key to the front, leaving the original unchanged', () => {
      expect(state.set('b', '9').serialize()).toBe('b=9,a=1,c=3');
      expect(state.set('new', 'x').serialize()).toBe('new=x,a=1,b=2,c=3');
      expect(state.serialize()).toBe('a=1,b=2,c=3');
    });

    it('drops the rightmost member when a 33rd is added', () => {
      const full = W3CTraceState.parse(members(32)) as W3CTraceState;
      const added = full.set('new', 'x');
      expect(added.get('new')).toBe('x');
      expect(added.get('k31')).toBeUndefined();
      expect(added.serialize().split(',')).toHaveLength(32);
    });

    it('ignores an invalid key or value', () => {
      expect(state.set('Bad', '1')).toBe(state);
      expect(state.set('ok', 'a,b')).toBe(state);
    });

    it('removes a key', () => {
      expect(state.unset('b').serialize()).toBe('a=1,c=3');
      expect(state.unset('zzz')).toBe(state);
    });
  });
});
