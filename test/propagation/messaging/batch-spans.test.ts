import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createPropagator, forEachMessage, injectIntoMessage } from 'tracelink/propagation';
import { EXAMPLE_SPAN_CONTEXT } from '../../helpers/tracing';

// No tracer provider is registered in this file: lightweight mode.
beforeAll(() => {
  propagation.setGlobalPropagator(createPropagator(['tracecontext', 'baggage']));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  propagation.disable();
  context.disable();
});

function headersFrom(traceId: string): Record<string, string> {
  const spanContext = { ...EXAMPLE_SPAN_CONTEXT, traceId, isRemote: false };
  return injectIntoMessage({}, trace.setSpanContext(ROOT_CONTEXT, spanContext));
}

describe('forEachMessage (without a tracing SDK)', () => {
  it('runs each record in its own trace with a fresh span id', async () => {
    const traceIds = ['1'.repeat(32), '2'.repeat(32), '3'.repeat(32)];
    const seen = await forEachMessage(
      { system: 'kafka', destination: 'orders' },
      traceIds.map((id) => ({ headers: headersFrom(id) })),
      async () => {
        await Promise.resolve();
        return trace.getActiveSpan()?.spanContext();
      },
    );
    expect(seen.map((s) => s?.traceId)).toEqual(traceIds);
    for (const spanContext of seen)
      expect(spanContext?.spanId).not.toBe(EXAMPLE_SPAN_CONTEXT.spanId);
    expect(new Set(seen.map((s) => s?.spanId)).size).toBe(3);
  });

  it('hands fn the span whose context is active', async () => {
    const [same] = await forEachMessage(
      { system: 'rabbitmq', destination: 'jobs' },
      [{ headers: headersFrom('4'.repeat(32)) }],
      (_message, span) => span.spanContext().spanId === trace.getActiveSpan()?.spanContext().spanId,
    );
    expect(same).toBe(true);
  });
});
