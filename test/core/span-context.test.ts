import fc from 'fast-check';
import { isValidSpanId, isValidTraceId, context, trace, TraceFlags } from '@opentelemetry/api';
import { isValidHexId } from '../../src/core/span-context';
import { formatTraceFlags, readSpanContext } from '../../src/core/span-context.js';
import { EXAMPLE_SPAN_CONTEXT, setUpTracing, withSpanContext } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';

describe('isValidHexId', () => {
  it.each([
    ['4bf92f3577b34da6a3ce929d0e0e4736', 32, true],
    ['4BF92F3577B34DA6A3CE929D0E0E4736', 32, true],
    ['00000000000000000000000000000001', 32, true],
    ['00000000000000000000000000000000', 32, false],
    ['4bf92f3577b34da6a3ce929d0e0e473', 32, false],
    ['4bf92f3577b34da6a3ce929d0e0e4736a', 32, false],
    ['4bf92f3577b34da6a3ce929d0e0e473g', 32, false],
    ['00f067aa0ba902b7', 16, true],
    ['0000000000000000', 16, false],
    ['00f067aa0ba902b ', 16, false],
  ] as const)('%s (length %d) is valid: %s', (id, length, valid) => {
    expect(isValidHexId(id, length)).toBe(valid);
  });

  it.each([undefined, null, 42, {}, ['4bf92f3577b34da6a3ce929d0e0e4736']])(
    'finds %p invalid',
    (id) => {
      expect(isValidHexId(id, 32)).toBe(false);
    },
  );

  it('decides as the API does on strings', () => {
    const id = (length: number): fc.Arbitrary<string> =>
      fc.oneof(
        fc.string({
          unit: fc.constantFrom(...'0000aF9gG:/`@'),
          minLength: length - 1,
          maxLength: length + 1,
        }),
        fc.string({
          unit: fc.constantFrom(...'0123456789abcdefABCDEF'),
          minLength: length,
          maxLength: length,
        }),
      );
    fc.assert(
      fc.property(id(32), id(16), (traceId, spanId) => {
        expect(isValidHexId(traceId, 32)).toBe(isValidTraceId(traceId));
        expect(isValidHexId(spanId, 16)).toBe(isValidSpanId(spanId));
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('formatTraceFlags', () => {
  it.each([
    [0, '00'],
    [1, '01'],
    [2, '02'],
    [15, '0f'],
    [255, 'ff'],
    [256 + 1, '01'],
    [-1, 'ff'],
    [NaN, '00'],
  ])('formats %p as %p', (flags, expected) => {
    expect(formatTraceFlags(flags)).toBe(expected);
  });
});

describe('readSpanContext', () => {
  describe('with no tracer provider or context manager registered', () => {
    it('returns undefined and does not throw', () => {
      expect(readSpanContext()).toBeUndefined();
      // Without a context manager, context.with() does not propagate: still no error.
      expect(withSpanContext(EXAMPLE_SPAN_CONTEXT, () => readSpanContext())).toBeUndefined();
    });

    it('reads an explicitly given context', () => {
      const ctx = trace.setSpanContext(context.active(), EXAMPLE_SPAN_CONTEXT);
      expect(readSpanContext(ctx)).toEqual(EXAMPLE_SPAN_CONTEXT);
    });
  });

  describe('with the SDK registered', () => {
    // Registered only now, so the block above really runs without an SDK.
    let tracing: TestTracing;
    beforeAll(() => (tracing = setUpTracing()));
    afterAll(() => tracing.shutdown());

    it('returns the active span’s context', () => {
      tracing.tracer.startActiveSpan('op', (span) => {
        expect(readSpanContext()).toBe(span.spanContext());
        span.end();
      });
    });

    it('returns a remote parent’s context', () => {
      expect(withSpanContext(EXAMPLE_SPAN_CONTEXT, () => readSpanContext())).toEqual(
        EXAMPLE_SPAN_CONTEXT,
      );
    });

    it('returns the context of an unsampled span', () => {
      tracing.unsampledTracer.startActiveSpan('op', (span) => {
        expect(readSpanContext()?.traceFlags).toBe(TraceFlags.NONE);
        span.end();
      });
    });

    it.each([
      [
        'the invalid span context',
        { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 },
      ],
      [
        'a 31-digit trace id',
        { ...EXAMPLE_SPAN_CONTEXT, traceId: EXAMPLE_SPAN_CONTEXT.traceId.slice(1) },
      ],
      [
        'a 17-digit span id',
        { ...EXAMPLE_SPAN_CONTEXT, spanId: `${EXAMPLE_SPAN_CONTEXT.spanId}0` },
      ],
      ['a missing span id', { ...EXAMPLE_SPAN_CONTEXT, spanId: undefined as unknown as string }],
    ])('returns undefined for %s', (_name, sc) => {
      expect(withSpanContext(sc, () => readSpanContext())).toBeUndefined();
    });
  });
});
