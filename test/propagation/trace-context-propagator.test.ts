import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { headerGetter, headerSetter, setupPropagation } from 'tracelink/propagation';
import type { HeaderRecord } from 'tracelink/propagation';

const TRACE_ID = '12345678901234567890123456789012';
const SPAN_ID = '1234567890123456';
const VALID = `00-${TRACE_ID}-${SPAN_ID}-01`;

function extract(headers: HeaderRecord): SpanContext | undefined {
  return trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers, headerGetter));
}

function members(count: number): string {
  return Array.from({ length: count }, (_, i) => `bar${i + 1}=${i + 1}`).join(',');
}

beforeAll(() => setupPropagation({ propagators: ['tracecontext'] }));
afterAll(() => {
  propagation.disable();
  context.disable();
});

describe('TraceContextPropagator', () => {
  describe('traceparent extraction (W3C Trace Context Level 2 §3.2)', () => {
    it.each([
      ['version 00', VALID, 1],
      ['version 00, not sampled', `00-${TRACE_ID}-${SPAN_ID}-00`, 0],
      ['random-trace-id flag kept', `00-${TRACE_ID}-${SPAN_ID}-03`, 3],
      ['unknown flags zeroed (§3.2.2.5)', `00-${TRACE_ID}-${SPAN_ID}-ff`, 3],
      ['future version cc', `cc-${TRACE_ID}-${SPAN_ID}-01`, 1],
      [
        'future version with extra fields',
        `cc-${TRACE_ID}-${SPAN_ID}-01-what-the-future-will-be`,
        1,
      ],
      ['leading SP', ` ${VALID}`, 1],
      ['leading HTAB', `\t${VALID}`, 1],
      ['trailing SP', `${VALID} `, 1],
      ['trailing HTAB', `${VALID}\t`, 1],
      ['OWS of several characters', `\t ${VALID} \t`, 1],
    ])('accepts %s', (_, traceparent, traceFlags) => {
      expect(extract({ traceparent })).toEqual({
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        traceFlags,
        isRemote: true,
      });
    });

    it.each([
      ['version ff', `ff-${TRACE_ID}-${SPAN_ID}-01`],
      ['version 00 with extra fields', `${VALID}-what-the-future-will-be`],
      ['version 00 with trailing data', `${VALID}.`],
      ['future version with a non-dash after the flags', `cc-${TRACE_ID}-${SPAN_ID}-01.what`],
      ['illegal version characters', `.0-${TRACE_ID}-${SPAN_ID}-01`],
      ['version too long', `000-${TRACE_ID}-${SPAN_ID}-01`],
      ['version too short', `0-${TRACE_ID}-${SPAN_ID}-01`],
      ['upper-case version', `0A-${TRACE_ID}-${SPAN_ID}-01`],
      ['upper-case trace id', `00-${TRACE_ID.replace('1', 'A')}-${SPAN_ID}-01`],
      ['upper-case parent id', `00-${TRACE_ID}-ABCDEF7890123456-01`],
      ['upper-case flags', `00-${TRACE_ID}-${SPAN_ID}-0A`],
      ['all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
      ['all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
      ['trace id too short', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
      ['trace id too long', `00-${TRACE_ID}0-${SPAN_ID}-01`],
      ['parent id too short', `00-${TRACE_ID}-${SPAN_ID.slice(1)}-01`],
      ['parent id too long', `00-${TRACE_ID}-${SPAN_ID}0-01`],
      ['flags too short', `00-${TRACE_ID}-${SPAN_ID}-1`],
      ['flags too long', `00-${TRACE_ID}-${SPAN_ID}-001`],
      ['illegal flag characters', `00-${TRACE_ID}-${SPAN_ID}-.0`],
      ['empty', ''],
      ['two values joined by a comma', `${VALID}, 00-${TRACE_ID}-${SPAN_ID}-00`],
    ])('rejects %s', (_, traceparent) => {
      expect(extract({ traceparent, tracestate: 'foo=1' })).toBeUndefined();
    });

    it('rejects several traceparent headers (RFC 9110 §5.3; test_traceparent_duplicated)', () => {
      expect(extract({ traceparent: [VALID, `00-${TRACE_ID}-${SPAN_ID}-00`] })).toBeUndefined();
    });

    it.each(['traceparent', 'TRACEPARENT', 'TraceParent'])('reads the header name %s', (name) => {
      expect(extract({ [name]: VALID })?.traceId).toBe(TRACE_ID);
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
      ['OWS around members', 'foo=1 \t , \t bar=2, \t baz=3', { foo: '1', bar: '2', baz: '3' }],
      ['empty members', 'foo=1,,  ,bar=2', { foo: '1', bar: '2' }],
      ['multi-tenant key', 'tenant@system=1', { 'tenant@system': '1' }],
      [
        '32 members',
        members(32),
        Object.fromEntries(
          members(32)
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
      ['an invalid key dropped, others kept', 'FOO=1,bar=2', { bar: '2' }],
      ['a key with a space dropped', 'foo =1,bar=2', { bar: '2' }],
      ['a key with a dot dropped', 'foo.bar=1,bar=2', { bar: '2' }],
      ['a value with a comma-free = dropped', 'foo=a=b,bar=2', { bar: '2' }],
      ['a value with a tab dropped', 'foo=a\tb,bar=2', { bar: '2' }],
    ])('keeps %s', (_, tracestate, expected) => {
      expect(Object.fromEntries(traceState(tracestate) ?? [])).toEqual(expected);
    });

    it('keeps the order of the members', () => {
      const state = extract({ traceparent: VALID, tracestate: 'rojo=1,congo=2' })?.traceState;
      expect(state?.serialize()).toBe('rojo=1,congo=2');
    });

    it('discards a tracestate of 33 members (§3.3.1.1; test_tracestate_member_count_limit)', () => {
      expect(traceState(members(33))?.get('bar1')).toBeUndefined();
    });

    it.each([
      ['33 members', members(33)],
      ['garbage', '\u0000,=,==,,@'],
      ['a huge value', `foo=${'x'.repeat(10_000)}`],
    ])('never invalidates a valid traceparent: %s', (_, tracestate) => {
      expect(extract({ traceparent: VALID, tracestate })?.traceId).toBe(TRACE_ID);
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
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        traceFlags,
      });
      const headers: HeaderRecord = {};
      propagation.inject(ctx, headers, headerSetter);
      expect(headers.traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-${written}`);
    });

    it.each([
      [VALID, 'foo=1,bar=2'],
      [`cc-${TRACE_ID}-${SPAN_ID}-01-future`, 'rojo=00f067aa0ba902b7'],
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

    it('writes nothing for an invalid span context', () => {
      const headers: HeaderRecord = {};
      propagation.inject(
        trace.setSpanContext(ROOT_CONTEXT, {
          traceId: '0'.repeat(32),
          spanId: SPAN_ID,
          traceFlags: 1,
        }),
        headers,
        headerSetter,
      );
      expect(headers).toEqual({});
    });
  });
});
