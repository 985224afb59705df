import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { startChildSpan } from '../../src/propagation/child-span';
import { EXAMPLE_SPAN_CONTEXT } from '../helpers/tracing';

// No tracer provider is registered in this file: lightweight mode.
describe('startChildSpan', () => {
  describe('without a tracing SDK (lightweight mode)', () => {
    it('keeps the parent trace id, flags and tracestate and makes a fresh span id', () => {
      const traceState = new TraceState('vendor=value');
      const parent = trace.setSpanContext(ROOT_CONTEXT, { ...EXAMPLE_SPAN_CONTEXT, traceState });
      const child = startChildSpan(parent, 'GET', { kind: SpanKind.SERVER });
      const sc = child.span.spanContext();
      expect(child.fromSdk).toBe(false);
      expect(sc.traceId).toBe(EXAMPLE_SPAN_CONTEXT.traceId);
      expect(sc.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(sc.spanId).not.toBe(EXAMPLE_SPAN_CONTEXT.spanId);
      expect(sc.traceFlags).toBe(EXAMPLE_SPAN_CONTEXT.traceFlags);
      expect(sc.traceState?.serialize()).toBe('vendor=value');
      expect(sc.isRemote).toBe(false);
      expect(trace.getSpanContext(child.context)).toBe(sc);
    });

    it.each([
      ['no parent', ROOT_CONTEXT],
      [
        'an invalid parent',
        trace.setSpanContext(ROOT_CONTEXT, { ...EXAMPLE_SPAN_CONTEXT, traceId: '0'.repeat(32) }),
      ],
    ])('starts a new sampled trace with %s, flagged random-trace-id (Level 2)', (_, parent) => {
      const sc = startChildSpan(parent, 'GET').span.spanContext();
      expect(sc.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(sc.traceId).not.toBe('0'.repeat(32));
      expect(sc.traceFlags).toBe(TraceFlags.SAMPLED | 0x02);
    });

    it('starts an unsampled new trace when sampleNewTraces is false, still random-trace-id', () => {
      const sc = startChildSpan(ROOT_CONTEXT, 'GET', { sampleNewTraces: false }).span.spanContext();
      expect(sc.traceFlags).toBe(0x02);
    });

    it('makes distinct ids for many spans in a row (the pooled generator refills)', () => {
      const ids = new Set<string>();
      for (let i = 0; i < 2000; i += 1) {
        ids.add(startChildSpan(ROOT_CONTEXT, 'x').span.spanContext().spanId);
      }
      expect(ids.size).toBe(2000);
    });

    it('ending the span or setting attributes on it is harmless', () => {
      const { span } = startChildSpan(ROOT_CONTEXT, 'x');
      expect(() => {
        span.setAttribute('a', 1);
        span.end();
      }).not.toThrow();
    });
  });
});
