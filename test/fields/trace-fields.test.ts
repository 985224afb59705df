import { context, trace } from '@opentelemetry/api';
import { createTraceFields, traceFields } from 'tracelink';
import {
  EXAMPLE_SPAN_CONTEXT,
  otelFieldsOf,
  useTracing,
  withSpanContext,
} from '../helpers/tracing.js';

const tracing = useTracing();

describe('traceFields', () => {
  it('returns the otel fields of the active span', () => {
    tracing.tracer.startActiveSpan('op', (span) => {
      expect(traceFields()).toEqual(otelFieldsOf(span));
      span.end();
    });
  });

  it('reads an explicitly given context', () => {
    const ctx = trace.setSpanContext(context.active(), EXAMPLE_SPAN_CONTEXT);
    expect(traceFields(ctx)).toMatchObject({ trace_id: EXAMPLE_SPAN_CONTEXT.traceId });
  });

  it('returns one shared frozen empty object with no span', () => {
    expect(traceFields()).toEqual({});
    expect(traceFields()).toBe(traceFields());
    expect(Object.isFrozen(traceFields())).toBe(true);
  });
});

describe('createTraceFields', () => {
  it('fixes the profile at creation', () => {
    const readFields = createTraceFields({ fields: 'ecs' });
    expect(withSpanContext(EXAMPLE_SPAN_CONTEXT, () => readFields())).toEqual({
      'trace.id': EXAMPLE_SPAN_CONTEXT.traceId,
      'span.id': EXAMPLE_SPAN_CONTEXT.spanId,
    });
  });
});
