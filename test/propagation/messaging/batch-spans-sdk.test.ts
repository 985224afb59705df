import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { pinoMixin } from 'tracelink/pino';
import { createPropagator, forEachMessage, withProducerSpan } from 'tracelink/propagation';
import type { MessageHeaders } from 'tracelink/propagation';
import { CaptureStream } from '../../helpers/capture-stream';
import { useTracing } from '../../helpers/tracing';

const tracing = useTracing();
propagation.disable();
propagation.setGlobalPropagator(createPropagator(['tracecontext', 'baggage']));

const ORDERS = { system: 'kafka', destination: 'orders' } as const;
const logs = new CaptureStream();
const logger = pino({ mixin: pinoMixin({ baggage: ['tenant'] }) }, logs);

interface Sent {
  readonly producer: ReadableSpan;
  readonly headers: Record<string, string>;
}

/** Sends one message from a trace of its own, with baggage `tenant=<tenant>`. */
function send(tenant: string): Sent {
  const headers: Record<string, string> = {};
  const root = tracing.tracer.startSpan(`request ${tenant}`);
  const baggage = propagation.createBaggage({ tenant: { value: tenant } });
  const ctx = propagation.setBaggage(trace.setSpan(ROOT_CONTEXT, root), baggage);
  const spanId = context.with(ctx, () =>
    withProducerSpan(ORDERS, headers, (span) => span.spanContext().spanId),
  );
  root.end();
  const producer = tracing.exporter
    .getFinishedSpans()
    .find((s) => s.spanContext().spanId === spanId) as ReadableSpan;
  return { producer, headers };
}

const toBuffers = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));

function consumerSpans(): ReadableSpan[] {
  return tracing.exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CONSUMER);
}

beforeEach(() => {
  tracing.exporter.reset();
  logs.lines.length = 0;
});

describe('forEachMessage (with a tracing SDK)', () => {
  // What kafkajs' eachBatch hands over, what an SQS ReceiveMessage returns, and amqplib
  // messages a consumer collected: three traces in one batch.
  const SHAPES: [string, (sent: Sent, i: number) => unknown][] = [
    [
      'kafkajs batch.messages',
      (sent, i) => ({
        offset: String(i),
        key: Buffer.from(`k${i}`),
        headers: toBuffers(sent.headers),
      }),
    ],
    [
      'an SQS-style list',
      (sent, i) => ({
        MessageId: `m${i}`,
        MessageAttributes: Object.fromEntries(
          Object.entries(sent.headers).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
        ),
      }),
    ],
    ['amqplib messages', (sent) => ({ properties: { headers: { ...sent.headers } } })],
  ];

  describe.each(SHAPES)('through %s', (_name, deliver) => {
    it("gives each record its own trace: its producer's span as parent, its own logs and baggage", async () => {
      const sent = ['a', 'b', 'c'].map(send);
      const batch = sent.map(deliver);
      // The poll loop runs in a span of its own: it must not become any record's parent.
      const poll = tracing.tracer.startSpan('poll');
      await context.with(trace.setSpan(ROOT_CONTEXT, poll), () =>
        forEachMessage(ORDERS, batch, async (_message, _span, index) => {
          await new Promise((done) => setTimeout(done, 1));
          logger.info({ index }, 'handled');
        }),
      );
      poll.end();
      const consumers = consumerSpans();
      expect(consumers).toHaveLength(3);
      consumers.forEach((consumer, i) => {
        const { producer } = sent[i];
        expect(consumer.spanContext().traceId).toBe(producer.spanContext().traceId);
        expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
        expect(logs.lines[i]).toMatchObject({
          index: i,
          trace_id: producer.spanContext().traceId,
          span_id: consumer.spanContext().spanId,
          tenant: ['a', 'b', 'c'][i],
        });
      });
      expect(new Set(consumers.map((s) => s.spanContext().traceId)).size).toBe(3);
    });
  });

  it("with parenting: 'link', starts a new trace per record, linked to its producer", async () => {
    const sent = ['a', 'b'].map(send);
    await forEachMessage(
      { ...ORDERS, parenting: 'link' },
      sent.map((s) => ({ headers: s.headers })),
      () => undefined,
    );
    const consumers = consumerSpans();
    expect(consumers).toHaveLength(2);
    consumers.forEach((consumer, i) => {
      const producer = sent[i].producer.spanContext();
      expect(consumer.parentSpanContext).toBeUndefined();
      expect(consumer.spanContext().traceId).not.toBe(producer.traceId);
      expect(consumer.links.map((l) => l.context.spanId)).toEqual([producer.spanId]);
    });
    expect(consumers[0]?.spanContext().traceId).not.toBe(consumers[1]?.spanContext().traceId);
  });

  it('starts a new trace for a record without headers, not the previous record’s', async () => {
    const [first] = ['a'].map(send);
    await forEachMessage(ORDERS, [{ headers: first?.headers }, {}], () => undefined);
    const [withHeaders, without] = consumerSpans();
    expect(without?.parentSpanContext).toBeUndefined();
    expect(without?.spanContext().traceId).not.toBe(withHeaders?.spanContext().traceId);
  });

  it('writes per-message attributes from the readers', async () => {
    const [first] = ['a'].map(send);
    const message = { id: 'm-1', key: 'order-7', headers: first?.headers as MessageHeaders };
    await forEachMessage(
      { ...ORDERS, partitionId: 3, messageId: (m) => m.id, kafkaMessageKey: (m) => m.key },
      [message],
      () => undefined,
    );
    expect(consumerSpans()[0]?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'orders',
      'messaging.operation.type': 'process',
      'messaging.message.id': 'm-1',
      'kafka.message.key': 'order-7',
      'messaging.destination.partition.id': '3',
    });
  });

  it('resolves with the results in order', async () => {
    await expect(forEachMessage(ORDERS, [1, 2, 3], (n) => Promise.resolve(n * 2))).resolves.toEqual(
      [2, 4, 6],
    );
  });

  it('stops at a failing record: its span ERROR, the error passed on, the rest not processed', async () => {
    const handled: number[] = [];
    const failure = new Error('bad record');
    await expect(
      forEachMessage(ORDERS, [0, 1, 2], (n) => {
        if (n === 1) throw failure;
        handled.push(n);
      }),
    ).rejects.toBe(failure);
    expect(handled).toEqual([0]);
    const spans = consumerSpans();
    expect(spans.map((s) => s.status.code)).toEqual([SpanStatusCode.UNSET, SpanStatusCode.ERROR]);
  });

  it('leaves out what a throwing reader would give, and goes on', async () => {
    const results = await forEachMessage(
      {
        ...ORDERS,
        headers: () => {
          throw new Error('unreadable');
        },
      },
      [1],
      (n) => n,
    );
    expect(results).toEqual([1]);
    expect(consumerSpans()[0]?.parentSpanContext).toBeUndefined();
  });
});
