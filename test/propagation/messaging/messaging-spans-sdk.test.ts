import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { Baggage } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { pinoMixin } from 'tracelink/pino';
import { createPropagator } from '../../../src/propagation/create-propagator';
import { withConsumerSpan } from '../../../src/propagation/messaging/message-spans';
import { withProducerSpan } from '../../../src/propagation/messaging/message-spans';
import { CaptureStream } from '../../helpers/capture-stream';
import { useTracing } from '../../helpers/tracing';
import { TRANSPORTS } from './transports';

const tracing = useTracing();
// useTracing installs the baggage propagator only; the round trip needs tracecontext too.
propagation.disable();
propagation.setGlobalPropagator(createPropagator(['tracecontext', 'baggage']));

const ORDERS = { system: 'kafka', destination: 'orders' } as const;

function finished(name: string): ReadableSpan {
  const span = tracing.exporter
    .getFinishedSpans()
    .filter((s) => s.name === name)
    .at(-1);
  if (span === undefined) throw new Error(`no finished span named ${name}`);
  return span;
}

function withBaggage<T>(fn: () => T): T {
  const baggage = propagation.createBaggage({ tenant: { value: 'acme' } });
  return context.with(propagation.setBaggage(ROOT_CONTEXT, baggage), fn);
}

class OrderRejected extends Error {}

beforeEach(() => tracing.exporter.reset());

describe('withProducerSpan and withConsumerSpan (with a tracing SDK)', () => {
  describe.each(TRANSPORTS)('through $name', (transport) => {
    it('make one trace: consumer child of producer, baggage unchanged', () => {
      const headers = transport.empty();
      const producerSpanId = withBaggage(() =>
        withProducerSpan(ORDERS, headers, (span) => span.spanContext().spanId),
      );
      let seenBaggage: Baggage | undefined;
      withConsumerSpan(ORDERS, transport.deliver(headers), () => {
        seenBaggage = propagation.getActiveBaggage();
      });
      const producer = finished('send orders');
      const consumer = finished('process orders');
      expect(producer.spanContext().spanId).toBe(producerSpanId);
      expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
      expect(consumer.parentSpanContext?.spanId).toBe(producerSpanId);
      expect(producer.kind).toBe(SpanKind.PRODUCER);
      expect(consumer.kind).toBe(SpanKind.CONSUMER);
      expect(seenBaggage?.getAllEntries()).toEqual([['tenant', { value: 'acme' }]]);
    });
  });

  describe('parents', () => {
    it('makes the producer span a child of the active span', () => {
      const parent = tracing.tracer.startSpan('checkout');
      context.with(trace.setSpan(ROOT_CONTEXT, parent), () =>
        withProducerSpan(ORDERS, {}, () => {}),
      );
      parent.end();
      expect(finished('send orders').parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    });

    it('makes the producer span a child of options.context when given', () => {
      const parent = tracing.tracer.startSpan('checkout');
      withProducerSpan({ ...ORDERS, context: trace.setSpan(ROOT_CONTEXT, parent) }, {}, () => {});
      parent.end();
      expect(finished('send orders').parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    });
  });

  describe('attributes and names', () => {
    it('writes the messaging attributes of the conventions', () => {
      withProducerSpan(
        { ...ORDERS, messageId: 'm-1', partitionId: 3, kafkaMessageKey: 'customer-7' },
        {},
        () => {},
      );
      expect(finished('send orders').attributes).toEqual({
        'messaging.system': 'kafka',
        'messaging.destination.name': 'orders',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'send',
        'messaging.message.id': 'm-1',
        'messaging.destination.partition.id': '3',
        'kafka.message.key': 'customer-7',
      });
    });

    it.each([
      ['send', 'send', 'send orders', SpanKind.PRODUCER],
      ['publish', 'send', 'publish orders', SpanKind.PRODUCER],
      ['create', 'create', 'create orders', SpanKind.PRODUCER],
    ] as const)('producer operation %s: type %s, span %s', (operation, type, name, kind) => {
      withProducerSpan({ ...ORDERS, operation }, {}, () => {});
      const span = finished(name);
      expect(span.kind).toBe(kind);
      expect(span.attributes['messaging.operation.type']).toBe(type);
      expect(span.attributes['messaging.operation.name']).toBe(operation);
    });

    it.each([
      ['process', 'process orders', SpanKind.CONSUMER],
      ['receive', 'receive orders', SpanKind.CLIENT],
    ] as const)('consumer operation %s: span %s', (operation, name, kind) => {
      withConsumerSpan({ ...ORDERS, operation }, {}, () => {});
      expect(finished(name).kind).toBe(kind);
      expect(finished(name).attributes['messaging.operation.type']).toBe(operation);
    });

    it('leaves kafka.message.key out for other systems', () => {
      withProducerSpan(
        { system: 'rabbitmq', destination: 'orders', kafkaMessageKey: 'k' },
        {},
        () => {},
      );
      expect(finished('send orders').attributes['kafka.message.key']).toBeUndefined();
    });

    it('names the span by the operation alone without a destination, and falls back on a bad operation', () => {
      const options = { system: 'kafka', operation: 'nonsense' } as unknown as typeof ORDERS;
      expect(() => withConsumerSpan(options, {}, () => {})).not.toThrow();
      expect(finished('process').attributes['messaging.destination.name']).toBeUndefined();
    });
  });

  describe('with parenting: link', () => {
    it('starts a new trace linked to the producer, baggage unchanged', () => {
      const headers = {};
      withBaggage(() => withProducerSpan(ORDERS, headers, () => {}));
      let seenBaggage: Baggage | undefined;
      withConsumerSpan({ ...ORDERS, parenting: 'link' }, headers, () => {
        seenBaggage = propagation.getActiveBaggage();
      });
      const producer = finished('send orders').spanContext();
      const consumer = finished('process orders');
      expect(consumer.spanContext().traceId).not.toBe(producer.traceId);
      expect(consumer.parentSpanContext).toBeUndefined();
      expect(consumer.links.map((link) => link.context.spanId)).toEqual([producer.spanId]);
      expect(seenBaggage?.getEntry('tenant')?.value).toBe('acme');
    });
  });

  describe('with absent or invalid headers', () => {
    it.each([
      ['null', null],
      ['undefined', undefined],
      ['an empty record', {}],
      ['a malformed traceparent', { traceparent: '00-zz-zz-01' }],
    ])('starts a new trace for %s, ignoring a span active around the call', (_, headers) => {
      const outer = tracing.tracer.startSpan('poll');
      context.with(trace.setSpan(ROOT_CONTEXT, outer), () =>
        withConsumerSpan(ORDERS, headers, () => {}),
      );
      outer.end();
      const consumer = finished('process orders');
      expect(consumer.parentSpanContext).toBeUndefined();
      expect(consumer.spanContext().traceId).not.toBe(outer.spanContext().traceId);
    });
  });

  describe('when fn throws or rejects', () => {
    it('marks the span ERROR and rethrows the very same error (sync)', () => {
      const error = new OrderRejected('out of stock');
      let thrown: unknown;
      try {
        withConsumerSpan(ORDERS, {}, () => {
          throw error;
        });
      } catch (caught) {
        thrown = caught;
      }
      expect(thrown).toBe(error);
      const span = finished('process orders');
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'out of stock' });
      expect(span.attributes['error.type']).toBe('OrderRejected');
      expect(span.events.map((event) => event.name)).toEqual(['exception']);
    });

    it('marks the span ERROR and rejects with the very same error (async)', async () => {
      const error = new TypeError('bad payload');
      const result = withProducerSpan(ORDERS, {}, async () => {
        await Promise.resolve();
        throw error;
      });
      await expect(result).rejects.toBe(error);
      const span = finished('send orders');
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe('TypeError');
    });
  });

  describe('with a non-native thenable', () => {
    it('adopts it once and ends the span when it settles', async () => {
      let thenCalls = 0;
      const lazy = {
        then(resolve: (value: number) => void) {
          thenCalls += 1;
          resolve(7);
        },
      };
      const result = withConsumerSpan(ORDERS, {}, () => lazy);
      await expect(Promise.resolve(result)).resolves.toBe(7);
      expect(thenCalls).toBe(1);
      expect(finished('process orders').ended).toBe(true);
    });
  });

  describe('with an async fn', () => {
    it('hands back the same promise and ends the span when it settles', async () => {
      let release: (value: string) => void = () => {};
      const pending = new Promise<string>((resolve) => (release = resolve));
      const result = withConsumerSpan(ORDERS, {}, () => pending);
      expect(result).toBe(pending);
      expect(tracing.exporter.getFinishedSpans()).toHaveLength(0);
      release('done');
      await expect(result).resolves.toBe('done');
      expect(finished('process orders').status.code).toBe(SpanStatusCode.UNSET);
    });

    it('keeps the span active across awaits inside fn', async () => {
      const ids = await withConsumerSpan(ORDERS, {}, async (span) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return [span.spanContext().spanId, trace.getActiveSpan()?.spanContext().spanId];
      });
      expect(ids[1]).toBe(ids[0]);
    });
  });

  describe('with a pino logger using pinoMixin()', () => {
    it('stamps the consumer span on lines written inside fn', () => {
      const stream = new CaptureStream();
      const logger = pino({ mixin: pinoMixin() }, stream);
      const headers = {};
      withProducerSpan(ORDERS, headers, () => {});
      const consumerSpan = withConsumerSpan(ORDERS, headers, (span) => {
        logger.info('handling order');
        return span.spanContext();
      });
      expect(stream.lines.at(-1)).toMatchObject({
        msg: 'handling order',
        trace_id: consumerSpan.traceId,
        span_id: consumerSpan.spanId,
      });
      expect(consumerSpan.traceId).toBe(finished('send orders').spanContext().traceId);
    });
  });
});
