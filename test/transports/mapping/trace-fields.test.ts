import {
  parseGcpTrace,
  parseSpanId,
  parseTraceFlags,
  parseTraceId,
} from '../../../src/fields/builtin-profiles.js';
import { readTraceFields } from '../../../transports/mapping/trace-fields.js';
import type { SpanContext } from '@opentelemetry/api';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('parseTraceId', () => {
  it.each<[string, unknown, string | undefined]>([
    ['lower-case hex', TRACE, TRACE],
    ['upper-case hex', TRACE.toUpperCase(), TRACE],
    ['31 digits', TRACE.slice(1), undefined],
    ['all zero', '0'.repeat(32), undefined],
    ['a non-hex digit', `${TRACE.slice(1)}x`, undefined],
    ['a number', 42, undefined],
  ])('reads %s', (_case, value, expected) => {
    expect(parseTraceId(value)).toBe(expected);
  });
});

describe('parseSpanId', () => {
  it.each<[string, unknown, string | undefined]>([
    ['lower-case hex', '00f067aa0ba902b7', '00f067aa0ba902b7'],
    ['upper-case hex', '00F067AA0BA902B7', '00f067aa0ba902b7'],
    ['a trace id', TRACE, undefined],
    ['all zero', '0'.repeat(16), undefined],
  ])('reads %s', (_case, value, expected) => {
    expect(parseSpanId(value)).toBe(expected);
  });
});

describe('parseTraceFlags', () => {
  it.each<[unknown, number | undefined]>([
    ['01', 1],
    ['00', 0],
    ['FF', 255],
    [1, 1],
    [0, 0],
    ['1', undefined],
    ['001', undefined],
    [1.5, undefined],
    [256, undefined],
    [-1, undefined],
    [true, undefined],
  ])('reads %p as %p', (value, expected) => {
    expect(parseTraceFlags(value)).toBe(expected);
  });
});

describe('parseGcpTrace', () => {
  it.each<[unknown, string | undefined]>([
    [`projects/my-proj/traces/${TRACE}`, TRACE],
    [`projects/my-proj/traces/${TRACE.toUpperCase()}`, TRACE],
    [TRACE, TRACE],
    [`projects/my-proj/traces/${TRACE}/x`, undefined],
    [`traces/${TRACE}`, undefined],
    [null, undefined],
  ])('reads %p', (value, expected) => {
    expect(parseGcpTrace(value)).toBe(expected);
  });
});

const SPAN = '00f067aa0ba902b7';
const GCP_TRACE = 'logging.googleapis.com/trace';
const GCP_SPAN = 'logging.googleapis.com/spanId';
const GCP_SAMPLED = 'logging.googleapis.com/trace_sampled';

const context = (traceFlags: number): SpanContext => ({
  traceId: TRACE,
  spanId: SPAN,
  traceFlags,
  isRemote: true,
});

function consumed(record: object, captured?: SpanContext) {
  const match = readTraceFields(record, captured);
  return {
    spanContext: match.spanContext,
    consumed: [...match.consumedKeys].sort(),
    nested: match.consumedNested,
  };
}

describe('readTraceFields', () => {
  describe('with valid fields of a profile', () => {
    it.each<[string, Record<string, unknown>, number, string[], boolean?]>([
      [
        'otel',
        { trace_id: TRACE, span_id: SPAN, trace_flags: '01' },
        1,
        ['span_id', 'trace_flags', 'trace_id'],
      ],
      [
        'otel, unsampled',
        { trace_id: TRACE, span_id: SPAN, trace_flags: '00' },
        0,
        ['span_id', 'trace_flags', 'trace_id'],
      ],
      [
        'otel, flags as a number',
        { trace_id: TRACE, span_id: SPAN, trace_flags: 1 },
        1,
        ['span_id', 'trace_flags', 'trace_id'],
      ],
      [
        'camel',
        { traceId: TRACE, spanId: SPAN, traceFlags: '01' },
        1,
        ['spanId', 'traceFlags', 'traceId'],
      ],
      ['ecs, flat dotted keys', { 'trace.id': TRACE, 'span.id': SPAN }, 0, ['span.id', 'trace.id']],
      ['ecs, nested', { trace: { id: TRACE }, span: { id: SPAN } }, 0, [], true],
      [
        'gcp, sampled',
        { [GCP_TRACE]: `projects/p/traces/${TRACE}`, [GCP_SPAN]: SPAN, [GCP_SAMPLED]: true },
        1,
        [GCP_SPAN, GCP_TRACE, GCP_SAMPLED],
      ],
      [
        'gcp, not sampled',
        { [GCP_TRACE]: `projects/p/traces/${TRACE}`, [GCP_SPAN]: SPAN, [GCP_SAMPLED]: false },
        0,
        [GCP_SPAN, GCP_TRACE, GCP_SAMPLED],
      ],
      [
        'gcp, bare trace id',
        { [GCP_TRACE]: TRACE, [GCP_SPAN]: SPAN, [GCP_SAMPLED]: true },
        1,
        [GCP_SPAN, GCP_TRACE, GCP_SAMPLED],
      ],
    ])('reads %s', (_profile, record, flags, keys, nested = false) => {
      expect(consumed(record)).toEqual({ spanContext: context(flags), consumed: keys, nested });
    });
  });

  describe('with the flags missing', () => {
    it.each<[string, Record<string, unknown>, string[]]>([
      ['otel', { trace_id: TRACE, span_id: SPAN }, ['span_id', 'trace_id']],
      ['camel', { traceId: TRACE, spanId: SPAN }, ['spanId', 'traceId']],
      [
        'gcp',
        { [GCP_TRACE]: `projects/p/traces/${TRACE}`, [GCP_SPAN]: SPAN },
        [GCP_SPAN, GCP_TRACE],
      ],
    ])('keeps the %s ids, with flags 0', (_profile, record, keys) => {
      expect(consumed(record)).toEqual({ spanContext: context(0), consumed: keys, nested: false });
    });

    it.each<[string, Record<string, unknown>, string[]]>([
      [
        '"1" (one digit)',
        { trace_id: TRACE, span_id: SPAN, trace_flags: '1' },
        ['span_id', 'trace_id'],
      ],
      ['"zz"', { trace_id: TRACE, span_id: SPAN, trace_flags: 'zz' }, ['span_id', 'trace_id']],
      ['256', { trace_id: TRACE, span_id: SPAN, trace_flags: 256 }, ['span_id', 'trace_id']],
      [
        'gcp "true" as a string',
        { [GCP_TRACE]: TRACE, [GCP_SPAN]: SPAN, [GCP_SAMPLED]: 'true' },
        [GCP_SPAN, GCP_TRACE],
      ],
    ])('keeps the ids and leaves unreadable flags %s as an attribute', (_case, record, keys) => {
      expect(consumed(record)).toEqual({ spanContext: context(0), consumed: keys, nested: false });
    });
  });

  describe('with upper-case hex', () => {
    it.each<[string, Record<string, unknown>]>([
      ['otel', { trace_id: TRACE.toUpperCase(), span_id: SPAN.toUpperCase(), trace_flags: '01' }],
      ['camel', { traceId: TRACE.toUpperCase(), spanId: SPAN.toUpperCase(), traceFlags: '01' }],
      [
        'gcp',
        {
          [GCP_TRACE]: `projects/p/traces/${TRACE.toUpperCase()}`,
          [GCP_SPAN]: SPAN.toUpperCase(),
          [GCP_SAMPLED]: true,
        },
      ],
    ])('lower-cases the %s ids', (_profile, record) => {
      expect(readTraceFields(record).spanContext).toEqual(context(1));
    });
  });

  describe('with invalid ids', () => {
    it.each<[string, Record<string, unknown>]>([
      ['a trace id too short', { trace_id: TRACE.slice(1), span_id: SPAN }],
      ['a trace id too long', { trace_id: `${TRACE}0`, span_id: SPAN }],
      ['a span id too short', { trace_id: TRACE, span_id: SPAN.slice(1) }],
      ['a non-hex trace id', { trace_id: `${TRACE.slice(1)}g`, span_id: SPAN }],
      ['an all-zero trace id', { trace_id: '0'.repeat(32), span_id: SPAN }],
      ['an all-zero span id', { trace_id: TRACE, span_id: '0'.repeat(16) }],
      ['a trace id without a span id', { trace_id: TRACE }],
      ['a numeric trace id', { trace_id: 1234, span_id: SPAN }],
      ['camel, all-zero', { traceId: '0'.repeat(32), spanId: '0'.repeat(16) }],
      ['ecs, wrong length', { 'trace.id': 'abc', 'span.id': SPAN }],
      ['ecs nested, not an object', { trace: TRACE, span: SPAN }],
      [
        'gcp, another resource name',
        { [GCP_TRACE]: `projects/p/spans/${TRACE}`, [GCP_SPAN]: SPAN },
      ],
    ])('gives no span context and consumes nothing for %s', (_case, record) => {
      expect(consumed(record)).toEqual({ spanContext: undefined, consumed: [], nested: false });
    });
  });

  describe('with Datadog’s decimal ids', () => {
    it('does not read them: a 64-bit decimal id is half of a 128-bit trace id', () => {
      const record = { 'dd.trace_id': '11803532876627986230', 'dd.span_id': '67667974448284343' };
      expect(consumed(record)).toEqual({ spanContext: undefined, consumed: [], nested: false });
    });
  });

  describe('with a captured span context', () => {
    const captured: SpanContext = {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      traceFlags: 1,
    };

    it('prefers it to the fields, which stay attributes when their ids differ', () => {
      expect(consumed({ trace_id: TRACE, span_id: SPAN }, captured)).toEqual({
        spanContext: captured,
        consumed: [],
        nested: false,
      });
    });

    it('consumes fields that repeat its ids', () => {
      const record = { trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16), trace_flags: '01' };
      expect(consumed(record, captured).consumed).toEqual(['span_id', 'trace_flags', 'trace_id']);
    });

    it('lower-cases its ids', () => {
      const upper = { ...captured, traceId: 'A'.repeat(32), spanId: 'B'.repeat(16) };
      expect(readTraceFields({}, upper).spanContext).toEqual(captured);
    });
  });

  describe('with several profiles in one record', () => {
    it('takes otel first and consumes the others when they carry the same ids', () => {
      const record = {
        'trace.id': TRACE,
        'span.id': SPAN,
        trace_id: TRACE,
        span_id: SPAN,
        trace_flags: '01',
      };
      expect(consumed(record)).toEqual({
        spanContext: context(1),
        consumed: ['span.id', 'span_id', 'trace.id', 'trace_flags', 'trace_id'],
        nested: false,
      });
    });
  });

  describe('with a hostile record', () => {
    it('treats a throwing getter as an absent field', () => {
      const record = {
        span_id: SPAN,
        get trace_id(): string {
          throw new Error('no');
        },
      };
      expect(readTraceFields(record).spanContext).toBeUndefined();
    });
  });
});
