import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import pino from 'pino';
import { pinoMixin } from 'tracelink/pino';
import { createPropagator } from '../../../src/propagation/create-propagator';
import { extractFromMessage } from '../../../src/propagation/messaging/message-propagation';
import { withConsumerSpan } from '../../../src/propagation/messaging/message-spans';
import { withProducerSpan } from '../../../src/propagation/messaging/message-spans';
import { CaptureStream } from '../../helpers/capture-stream';
import { EXAMPLE_SPAN_CONTEXT, withSpanContext } from '../../helpers/tracing';
import { TRANSPORTS } from './transports';

// No tracer provider is registered in this file: lightweight mode.
beforeAll(() => {
  propagation.setGlobalPropagator(createPropagator(['tracecontext', 'baggage']));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  propagation.disable();
  context.disable();
});

const ORDERS = { system: 'kafka', destination: 'orders' } as const;

function sentSpanId(headers: Parameters<typeof extractFromMessage>[0]): string | undefined {
  return trace.getSpanContext(extractFromMessage(headers, ROOT_CONTEXT))?.spanId;
}

describe('withProducerSpan and withConsumerSpan (without a tracing SDK)', () => {
  describe.each(TRANSPORTS)('through $name', (transport) => {
    it('continue the producer’s trace with a fresh span id at each hop', () => {
      const headers = transport.empty();
      const producer = withSpanContext(EXAMPLE_SPAN_CONTEXT, () =>
        withProducerSpan(ORDERS, headers, (span) => span.spanContext()),
      );
      const delivered = transport.deliver(headers);
      const consumer = withConsumerSpan(ORDERS, delivered, (span) => span.spanContext());
      expect(producer.traceId).toBe(EXAMPLE_SPAN_CONTEXT.traceId);
      expect(producer.spanId).not.toBe(EXAMPLE_SPAN_CONTEXT.spanId);
      // The message names the producer span as the consumer's parent.
      expect(sentSpanId(delivered)).toBe(producer.spanId);
      expect(consumer.traceId).toBe(producer.traceId);
      expect(consumer.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(consumer.spanId).not.toBe(producer.spanId);
    });
  });

  it('passes baggage from the headers through unchanged', () => {
    const headers = new Map<string, unknown>([['baggage', 'tenant=acme;prop=1,user=42']]);
    const entries = withConsumerSpan(ORDERS, headers, () =>
      propagation.getActiveBaggage()?.getAllEntries(),
    );
    expect(entries).toEqual([
      ['tenant', { value: 'acme', metadata: expect.anything() as unknown }],
      ['user', { value: '42' }],
    ]);
  });

  it('starts a new trace with parenting: link', () => {
    const headers = {};
    withSpanContext(EXAMPLE_SPAN_CONTEXT, () => withProducerSpan(ORDERS, headers, () => {}));
    const consumer = withConsumerSpan({ ...ORDERS, parenting: 'link' }, headers, (span) =>
      span.spanContext(),
    );
    expect(consumer.traceId).not.toBe(EXAMPLE_SPAN_CONTEXT.traceId);
  });

  it.each([[null], [{}], [{ traceparent: 'garbage' }], [[{ traceparent: 42 }]]])(
    'starts a new trace for headers %j, never throwing',
    (headers) => {
      const sc = withConsumerSpan(ORDERS, headers as never, (span) => span.spanContext());
      expect(sc.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(sc.traceId).not.toBe(EXAMPLE_SPAN_CONTEXT.traceId);
    },
  );

  it('rethrows the caller’s own error unchanged', async () => {
    const error = new RangeError('nope');
    expect(() =>
      withProducerSpan(ORDERS, {}, () => {
        throw error;
      }),
    ).toThrow(error);
    await expect(withConsumerSpan(ORDERS, {}, () => Promise.reject(error))).rejects.toBe(error);
  });

  it('gives a pino logger using pinoMixin() the consumer span, across awaits', async () => {
    const stream = new CaptureStream();
    const logger = pino({ mixin: pinoMixin() }, stream);
    const headers: Record<string, string>[] = [];
    withSpanContext(EXAMPLE_SPAN_CONTEXT, () => withProducerSpan(ORDERS, headers, () => {}));
    const consumer = await withConsumerSpan(ORDERS, headers, async (span) => {
      await new Promise((resolve) => setImmediate(resolve));
      logger.info('handling order');
      return span.spanContext();
    });
    expect(stream.lines.at(-1)).toMatchObject({
      msg: 'handling order',
      trace_id: EXAMPLE_SPAN_CONTEXT.traceId,
      span_id: consumer.spanId,
    });
  });
});
