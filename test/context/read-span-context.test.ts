import { context, trace, TraceFlags } from '@opentelemetry/api';
import { readSpanContext } from 'tracelink';
import { EXAMPLE_SPAN_CONTEXT, setUpTracing, withSpanContext } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';

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
