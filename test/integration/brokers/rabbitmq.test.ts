import { trace } from '@opentelemetry/api';
import { connect } from 'amqplib';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { forEachMessage, withConsumerSpan, withProducerSpan } from 'tracelink/propagation';
import { useTracing } from '../../helpers/tracing';
import { pollUntil } from '../poll-until';
import {
  TENANTS,
  expectOneTracePerMessage,
  expectOneTracePerMessageWithoutSdk,
  inLightweightRequest,
  inRequest,
  setUpServices,
} from './message-flow';
import { startRabbitMq } from './rabbitmq-broker';
import type { RabbitMq } from './rabbitmq-broker';

// Messages through a real RabbitMQ (Debian's rabbitmq-server, started here on 127.0.0.1)
// with amqplib: the trace context and baggage ride in the AMQP message headers.
const tracing = useTracing();
const { logs, producer, consumer } = setUpServices();

let broker: RabbitMq;
let connection: ChannelModel;
let channel: Channel;

beforeAll(async () => {
  broker = await startRabbitMq();
  process.stdout.write(`RabbitMQ ready after ${broker.startupMs} ms\n`);
  connection = await connect(broker.url);
  channel = await connection.createChannel();
}, 120_000);

afterAll(async () => {
  await connection?.close().catch(() => undefined);
  await broker?.stop();
}, 60_000);

beforeEach(() => {
  tracing.exporter.reset();
  logs.lines.length = 0;
});

async function publishOrders(queue: string, lightweight = false): Promise<void> {
  await channel.assertQueue(queue, { durable: false });
  const run = <T>(tenant: string, fn: () => T): T =>
    lightweight ? inLightweightRequest(tenant, fn) : inRequest(tracing, tenant, fn);
  for (const tenant of TENANTS) {
    run(tenant, () => {
      const headers: Record<string, unknown> = {};
      withProducerSpan({ system: 'rabbitmq', destination: queue }, headers, () => {
        producer.info('publishing the order');
        channel.sendToQueue(queue, Buffer.from(`order for ${tenant}`), { headers });
      });
    });
  }
}

describe('through RabbitMQ with amqplib', () => {
  it('makes one trace per message from producer to consumer, logs correlated, baggage through', async () => {
    const queue = 'orders-each';
    await publishOrders(queue);
    let handled = 0;
    await channel.consume(queue, (message: ConsumeMessage | null) => {
      if (message === null) return;
      withConsumerSpan(
        { system: 'rabbitmq', destination: queue },
        message.properties.headers,
        () => {
          consumer.info({ body: message.content.toString() }, 'handling the order');
          channel.ack(message);
          handled += 1;
        },
      );
    });
    expect(await pollUntil(() => handled === TENANTS.length, 20_000)).toBe(true);
    expectOneTracePerMessage(tracing, logs, queue);
  }, 60_000);

  it('gives each message of a collected batch its own trace with forEachMessage', async () => {
    const queue = 'orders-batch';
    await publishOrders(queue);
    // A batch as a consumer collects one: several messages, from several traces, taken off
    // the queue before any is handled.
    const batch: ConsumeMessage[] = [];
    await channel.prefetch(TENANTS.length);
    const { consumerTag } = await channel.consume(queue, (message) => {
      if (message !== null) batch.push(message);
    });
    expect(await pollUntil(() => batch.length === TENANTS.length, 20_000)).toBe(true);
    await channel.cancel(consumerTag);
    await forEachMessage({ system: 'rabbitmq', destination: queue }, batch, (message) => {
      consumer.info({ body: message.content.toString() }, 'handling the order');
      channel.ack(message);
    });
    expectOneTracePerMessage(tracing, logs, queue);
  }, 60_000);
});

// Last in the file: the SDK is unregistered for it (useTracing shuts the rest down after).
describe('through RabbitMQ with amqplib, without a tracing SDK', () => {
  beforeAll(() => trace.disable());

  it("continues each message's trace in the consumer, logs correlated, baggage through", async () => {
    const queue = 'orders-lightweight';
    await publishOrders(queue, true);
    let handled = 0;
    await channel.consume(queue, (message: ConsumeMessage | null) => {
      if (message === null) return;
      withConsumerSpan(
        { system: 'rabbitmq', destination: queue },
        message.properties.headers,
        () => {
          consumer.info({ body: message.content.toString() }, 'handling the order');
          channel.ack(message);
          handled += 1;
        },
      );
    });
    expect(await pollUntil(() => handled === TENANTS.length, 20_000)).toBe(true);
    expectOneTracePerMessageWithoutSdk(logs);
  }, 60_000);
});
