import fc from 'fast-check';
import { parseTraceParent as parseWithOpenTelemetry } from '@opentelemetry/core';
import {
  parseTraceParent,
  W3CTraceState,
  parseTraceState,
} from '../../src/propagation/trace-context-propagator';
import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { setupPropagation } from 'tracelink/propagation';
import { headerGetter, headerSetter } from '../../src/propagation/carriers.js';
import type { HeaderRecord } from '../../src/propagation/carriers.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

describe('parseTraceParent', () => {
  it('reads a version-00 value into a remote span context', () => {
    expect(parseTraceParent(`00-${TRACE_ID}-${SPAN_ID}-01`)).toEqual({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      isRemote: true,
    });
  });

  it.each([
    ['00', 0],
    ['01', 1],
    ['02', 2],
    ['03', 3],
    ['09', 1],
    ['ff', 3],
    ['a0', 0],
  ])('keeps only the known bits of flags %s (§3.2.2.5)', (flags, traceFlags) => {
    expect(parseTraceParent(`00-${TRACE_ID}-${SPAN_ID}-${flags}`)?.traceFlags).toBe(traceFlags);
  });

  // The accept/reject table of the W3C rules is in trace-context-propagator.test.ts; here the
  // parser is held to OpenTelemetry's on values built from near-valid pieces.
  describe('agrees with OpenTelemetry parseTraceParent', () => {
    const hex = (length: number): fc.Arbitrary<string> =>
      fc.string({
        unit: fc.constantFrom(...'0123456789abcdef'),
        minLength: length,
        maxLength: length,
      });
    const noise = fc.string({ unit: fc.constantFrom(...'0aAfF9gz-. \t'), maxLength: 40 });
    const piece = (valid: fc.Arbitrary<string>, ...others: string[]): fc.Arbitrary<string> =>
      fc.oneof(
        { weight: 6, arbitrary: valid },
        { weight: 1, arbitrary: fc.constantFrom(...others) },
        { weight: 1, arbitrary: noise },
      );
    const traceParent = fc
      .tuple(
        piece(hex(2), 'ff', 'FF', '0', '000', '0A'),
        piece(hex(32), '0'.repeat(32), TRACE_ID.toUpperCase(), TRACE_ID.slice(1)),
        piece(hex(16), '0'.repeat(16), SPAN_ID.toUpperCase(), `${SPAN_ID}0`),
        piece(hex(2), 'FF', '1', '001', '.0'),
        fc.oneof(
          fc.constant(''),
          fc.constant('-'),
          noise,
          noise.map((tail) => `-${tail}`),
        ),
      )
      .map(([version, traceId, spanId, flags, tail]) =>
        [version, traceId, spanId, flags].join('-').concat(tail),
      );

    it('accepts and rejects the same values, with the same ids', () => {
      fc.assert(
        fc.property(traceParent, (value) => {
          // Both parsers get values with surrounding whitespace trimmed (OpenTelemetry allows
          // one character of any kind, Level 2 only SP and HTAB, trimmed before parsing).
          fc.pre(value.trim() === value);
          const ours = parseTraceParent(value);
          const theirs = parseWithOpenTelemetry(value);
          if (theirs === null) return ours === undefined;
          return (
            ours !== undefined &&
            ours.traceId === theirs.traceId &&
            ours.spanId === theirs.spanId &&
            ours.traceFlags === (theirs.traceFlags & 0x03)
          );
        }),
        { numRuns: 5_000 },
      );
    });
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (value) => {
        const result = parseTraceParent(value);
        return result === undefined || result.isRemote === true;
      }),
      { numRuns: 2_000 },
    );
  });
});

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

    // §3.3.1.4 lets a parser drop the invalid member or the whole header; the W3C test suite
    // checks the stricter one (test_tracestate_key_illegal_characters and its kin).
    it.each([
      ['an upper-case key', 'Foo=1,b=2'],
      ['a key starting with _', '_foo=1,b=2'],
      ['a key of 257 characters', `${'k'.repeat(257)}=1,b=2`],
      ['a value of 257 characters', `k=${'v'.repeat(257)},b=2`],
      ['a value with a tab', 'k=a\tb,b=2'],
      ['an empty value', 'k=,b=2'],
      ['a value with =', 'k=a=b,b=2'],
      ['a member without =', 'k,b=2'],
      ['a member without a key', '=1,b=2'],
      ['a non-ASCII value', 'k=é,b=2'],
      ['a repeated key (test_tracestate_duplicated_keys)', 'a=1,b=2,a=3'],
      ['a repeated member', 'a=1,a=1'],
    ])('discards the whole header for %s', (_, header) => {
      expect(W3CTraceState.parse(header)).toBeUndefined();
    });

    it.each([
      ['an empty header', ''],
      ['empty members only', ' , ,\t,'],
    ])('has nothing to keep for %s', (_, header) => {
      expect(W3CTraceState.parse(header)).toBeUndefined();
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

const PROPAGATOR_TRACE_ID = '12345678901234567890123456789012';
const PROPAGATOR_SPAN_ID = '1234567890123456';
const VALID = `00-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-01`;

function extract(headers: HeaderRecord): SpanContext | undefined {
  return trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers, headerGetter));
}

function memberList(count: number): string {
  return Array.from({ length: count }, (_, i) => `bar${i + 1}=${i + 1}`).join(',');
}

// Every rule below holds whoever registered the W3C propagator: tracelink's own, or
// OpenTelemetry's (NodeTracerProvider.register(), the README's SDK setup) which
// setupPropagation() then wraps.
describe.each<[string, () => void, string]>([
  ['tracelink’s own', () => undefined, 'installed'],
  [
    'OpenTelemetry’s, registered by NodeTracerProvider.register()',
    () => new NodeTracerProvider().register(),
    'wrapped-existing',
  ],
])('TraceContextPropagator: %s', (_, register, outcome) => {
  let setup: string | undefined;
  beforeAll(() => {
    register();
    setup = setupPropagation({ propagators: ['tracecontext'] }).propagator;
  });

  it(`is what setupPropagation() reports: ${outcome}`, () => {
    expect(setup).toBe(outcome);
  });
  afterAll(() => {
    propagation.disable();
    context.disable();
    trace.disable();
  });

  describe('traceparent extraction (W3C Trace Context Level 2 §3.2)', () => {
    it.each([
      ['version 00', VALID, 1],
      ['version 00, not sampled', `00-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-00`, 0],
      ['random-trace-id flag kept', `00-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-03`, 3],
      ['unknown flags zeroed (§3.2.2.5)', `00-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-ff`, 3],
      ['future version cc', `cc-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-01`, 1],
      [
        'future version with extra fields',
        `cc-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-01-what-the-future-will-be`,
        1,
      ],
      ['leading SP', ` ${VALID}`, 1],
      ['leading HTAB', `\t${VALID}`, 1],
      ['trailing SP', `${VALID} `, 1],
      ['trailing HTAB', `${VALID}\t`, 1],
      ['OWS of several characters', `\t ${VALID} \t`, 1],
    ])('accepts %s', (_, traceparent, traceFlags) => {
      expect(extract({ traceparent })).toEqual({
        traceId: PROPAGATOR_TRACE_ID,
        spanId: PROPAGATOR_SPAN_ID,
        traceFlags,
        isRemote: true,
      });
    });

    it.each([
      ['version ff', `ff-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-01`],
      ['version 00 with extra fields', `${VALID}-what-the-future-will-be`],
      ['version 00 with trailing data', `${VALID}.`],
      [
        'future version with a non-dash after the flags',
        `cc-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-01.what`,
      ],
      ['illegal version characters', `.0-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-01`],
      ['version too long', `000-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-01`],
      ['version too short', `0-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-01`],
      ['upper-case version', `0A-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-01`],
      [
        'upper-case trace id',
        `00-${PROPAGATOR_TRACE_ID.replace('1', 'A')}-${PROPAGATOR_SPAN_ID}-01`,
      ],
      ['upper-case parent id', `00-${PROPAGATOR_TRACE_ID}-ABCDEF7890123456-01`],
      ['upper-case flags', `00-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-0A`],
      ['all-zero trace id', `00-${'0'.repeat(32)}-${PROPAGATOR_SPAN_ID}-01`],
      ['all-zero parent id', `00-${PROPAGATOR_TRACE_ID}-${'0'.repeat(16)}-01`],
      ['trace id too short', `00-${PROPAGATOR_TRACE_ID.slice(1)}-${PROPAGATOR_SPAN_ID}-01`],
      ['trace id too long', `00-${PROPAGATOR_TRACE_ID}0-${PROPAGATOR_SPAN_ID}-01`],
      ['parent id too short', `00-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID.slice(1)}-01`],
      ['parent id too long', `00-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}0-01`],
      ['flags too short', `00-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-1`],
      ['flags too long', `00-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-001`],
      ['illegal flag characters', `00-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-.0`],
      ['empty', ''],
      [
        'two values joined by a comma',
        `${VALID}, 00-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-00`,
      ],
    ])('rejects %s', (_, traceparent) => {
      expect(extract({ traceparent, tracestate: 'foo=1' })).toBeUndefined();
    });

    it('rejects several traceparent headers (RFC 9110 §5.3; test_traceparent_duplicated)', () => {
      expect(
        extract({ traceparent: [VALID, `00-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-00`] }),
      ).toBeUndefined();
    });

    it.each(['traceparent', 'TRACEPARENT', 'TraceParent'])('reads the header name %s', (name) => {
      expect(extract({ [name]: VALID })?.traceId).toBe(PROPAGATOR_TRACE_ID);
    });

    it.each(['trace-parent', 'trace.parent'])('ignores the header name %s', (name) => {
      expect(extract({ [name]: VALID })).toBeUndefined();
    });
  });

  describe('tracestate extraction (§3.3)', () => {
    function traceState(tracestate: string | string[]): Map<string, string> | undefined {
      const state = extract({ traceparent: VALID, tracestate })?.traceState;
      if (state === undefined) return undefined;
      const serialized = state.serialize();
      return new Map(
        serialized === '' ? [] : serialized.split(',').map((m) => m.split('=') as [string, string]),
      );
    }

    it.each<[string, string | string[], Record<string, string>]>([
      ['one member', 'foo=1', { foo: '1' }],
      ['OWS around memberList', 'foo=1 \t , \t bar=2, \t baz=3', { foo: '1', bar: '2', baz: '3' }],
      ['empty memberList', 'foo=1,,  ,bar=2', { foo: '1', bar: '2' }],
      ['multi-tenant key', 'tenant@system=1', { 'tenant@system': '1' }],
      [
        '32 memberList',
        memberList(32),
        Object.fromEntries(
          memberList(32)
            .split(',')
            .map((m) => m.split('=')),
        ),
      ],
      [
        'several headers combined in order',
        ['foo=1,bar=2', 'rojo=1,congo=2', 'baz=3'],
        { foo: '1', bar: '2', rojo: '1', congo: '2', baz: '3' },
      ],
      ['an empty header combined', ['', 'foo=1'], { foo: '1' }],
    ])('keeps %s', (_, tracestate, expected) => {
      expect(Object.fromEntries(traceState(tracestate) ?? [])).toEqual(expected);
    });

    it.each<[string, string | string[]]>([
      ['an invalid key', 'FOO=1,bar=2'],
      ['a key with a space', 'foo =1,bar=2'],
      ['a key with a dot', 'foo.bar=1,bar=2'],
      ['a value with =', 'foo=a=b,bar=2'],
      ['a value with a tab', 'foo=a\tb,bar=2'],
      ['duplicated keys (test_tracestate_duplicated_keys)', 'foo=1,foo=2'],
      ['duplicated keys across headers', ['foo=1', 'bar=2,foo=1']],
      ['33 members (test_tracestate_member_count_limit)', memberList(33)],
      ['33 members across headers', [memberList(20), memberList(13).replace(/bar/g, 'baz')]],
    ])('discards the whole tracestate with %s, keeping the traceparent', (_, tracestate) => {
      const spanContext = extract({ traceparent: VALID, tracestate });
      expect(spanContext?.traceId).toBe(PROPAGATOR_TRACE_ID);
      expect(spanContext?.traceState).toBeUndefined();
      const out: HeaderRecord = {};
      propagation.inject(
        trace.setSpanContext(ROOT_CONTEXT, spanContext as SpanContext),
        out,
        headerSetter,
      );
      expect(out).toEqual({ traceparent: VALID });
    });

    it('keeps the order of the memberList', () => {
      const state = extract({ traceparent: VALID, tracestate: 'rojo=1,congo=2' })?.traceState;
      expect(state?.serialize()).toBe('rojo=1,congo=2');
    });

    it.each([
      ['33 memberList', memberList(33)],
      ['garbage', '\u0000,=,==,,@'],
      ['a huge value', `foo=${'x'.repeat(10_000)}`],
    ])('never invalidates a valid traceparent: %s', (_, tracestate) => {
      expect(extract({ traceparent: VALID, tracestate })?.traceId).toBe(PROPAGATOR_TRACE_ID);
    });

    // OpenTelemetry's tracestate key grammar is Level 1's (one optional `@`, system id starting
    // with a letter); Level 2 §3.3.1.3.1 allows `key = ( lcalpha / DIGIT ) 0*255 ( keychar )`
    // with `@` as a keychar, so tracestate is parsed by tracelink's W3CTraceState.
    it.each([
      ['a key starting with a digit', '1foo=1'],
      ['a key ending in @', 'foo@=1'],
      ['a key with two @', 'foo@@bar=1'],
      ['a key with @ twice', 'foo@bar@baz=1'],
    ])('keeps %s (Level 2 key grammar)', (_, tracestate) => {
      expect(traceState(tracestate)?.size).toBe(1);
    });
  });

  describe('inject', () => {
    it.each([
      ['sampled', 1, '01'],
      ['not sampled', 0, '00'],
      ['random-trace-id', 3, '03'],
      ['unknown flags zeroed (§3.2.2.5)', 0xff, '03'],
      ['unknown flag 0x10 zeroed, not written as three digits', 0x11, '01'],
    ])('writes %s flags as two hex digits', (_, traceFlags, written) => {
      const ctx = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: PROPAGATOR_TRACE_ID,
        spanId: PROPAGATOR_SPAN_ID,
        traceFlags,
      });
      const headers: HeaderRecord = {};
      propagation.inject(ctx, headers, headerSetter);
      expect(headers.traceparent).toBe(
        `00-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-${written}`,
      );
    });

    it.each([
      [VALID, 'foo=1,bar=2'],
      [`cc-${PROPAGATOR_TRACE_ID}-${PROPAGATOR_SPAN_ID}-01-future`, 'rojo=00f067aa0ba902b7'],
      [`\t ${VALID} \t`, 'foo=1 , bar=2'],
    ])('round-trips %j as version 00', (traceparent, tracestate) => {
      const out: HeaderRecord = {};
      propagation.inject(
        propagation.extract(ROOT_CONTEXT, { traceparent, tracestate }, headerGetter),
        out,
        headerSetter,
      );
      expect(out).toEqual({ traceparent: VALID, tracestate: tracestate.replace(/ /g, '') });
    });

    it.each([
      ['an empty tracestate', ''],
      ['a tracestate of empty members', ' , '],
    ])('never forwards %s', (_, tracestate) => {
      const out: HeaderRecord = {};
      propagation.inject(
        propagation.extract(ROOT_CONTEXT, { traceparent: VALID, tracestate }, headerGetter),
        out,
        headerSetter,
      );
      expect(out).toEqual({ traceparent: VALID });
    });

    it('never writes an empty tracestate for a TraceState emptied by the application', () => {
      const spanContext = extract({ traceparent: VALID, tracestate: 'foo=1' }) as SpanContext;
      const emptied = { ...spanContext, traceState: spanContext.traceState?.unset('foo') };
      const out: HeaderRecord = {};
      propagation.inject(trace.setSpanContext(ROOT_CONTEXT, emptied), out, headerSetter);
      expect(out).toEqual({ traceparent: VALID });
    });

    it('writes nothing for an invalid span context', () => {
      const headers: HeaderRecord = {};
      propagation.inject(
        trace.setSpanContext(ROOT_CONTEXT, {
          traceId: '0'.repeat(32),
          spanId: PROPAGATOR_SPAN_ID,
          traceFlags: 1,
        }),
        headers,
        headerSetter,
      );
      expect(headers).toEqual({});
    });
  });
});
