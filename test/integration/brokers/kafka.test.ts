import { trace } from '@opentelemetry/api';
import { Kafka, logLevel } from 'kafkajs';
import type { Consumer, KafkaMessage, Producer } from 'kafkajs';
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
import { startKafka } from './kafka-broker';
import type { KafkaBroker } from './kafka-broker';

// Messages through a real Kafka broker (KRaft mode, jars from Maven Central, started here on
// 127.0.0.1) with kafkajs: the trace context and baggage ride in the record headers.
const tracing = useTracing();
const { logs, producer: producerLog, consumer: consumerLog } = setUpServices();

let broker: KafkaBroker;
let kafka: Kafka;
let producer: Producer;
const consumers: Consumer[] = [];

beforeAll(async () => {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  broker = await startKafka();
  process.stdout.write(`Kafka ready after ${broker.startupMs} ms\n`);
  kafka = new Kafka({
    clientId: 'tracelink-test',
    brokers: broker.brokers,
    logLevel: logLevel.NOTHING,
  });
  producer = kafka.producer();
  await producer.connect();
}, 180_000);

afterAll(async () => {
  for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
  await producer?.disconnect().catch(() => undefined);
  await broker?.stop();
}, 60_000);

beforeEach(() => {
  tracing.exporter.reset();
  logs.lines.length = 0;
});

/** Sends one record per tenant, each from its own request's trace, in one `send` call. */
async function sendOrders(topic: string, lightweight = false): Promise<void> {
  const run = <T>(tenant: string, fn: () => T): T =>
    lightweight ? inLightweightRequest(tenant, fn) : inRequest(tracing, tenant, fn);
  const messages = TENANTS.map((tenant) =>
    run(tenant, () => {
      const headers: Record<string, string> = {};
      withProducerSpan({ system: 'kafka', destination: topic }, headers, () =>
        producerLog.info('sending the order'),
      );
      return { key: tenant, value: `order for ${tenant}`, headers };
    }),
  );
  await producer.send({ topic, messages });
}

async function subscribe(topic: string): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: `group-${topic}`, maxWaitTimeInMs: 100 });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  return consumer;
}

const handle = (message: KafkaMessage) =>
  consumerLog.info({ body: message.value?.toString() }, 'handling the order');

describe('through Kafka with kafkajs', () => {
  it('makes one trace per record from producer to consumer (eachMessage), logs correlated, baggage through', async () => {
    const topic = 'orders-each';
    await sendOrders(topic);
    const consumer = await subscribe(topic);
    let handled = 0;
    await consumer.run({
      eachMessage: ({ message, partition }) => {
        withConsumerSpan(
          { system: 'kafka', destination: topic, partitionId: partition },
          message.headers,
          () => handle(message),
        );
        handled += 1;
        return Promise.resolve();
      },
    });
    expect(await pollUntil(() => handled === TENANTS.length, 30_000)).toBe(true);
    expectOneTracePerMessage(tracing, logs, topic);
  }, 60_000);

  it('gives each record of an eachBatch batch from several traces its own trace with forEachMessage', async () => {
    const topic = 'orders-batch';
    await sendOrders(topic);
    const consumer = await subscribe(topic);
    const batchSizes: number[] = [];
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        batchSizes.push(batch.messages.length);
        await forEachMessage(
          {
            system: 'kafka',
            destination: batch.topic,
            partitionId: batch.partition,
            kafkaMessageKey: (message) => message.key?.toString(),
          },
          batch.messages,
          (message) => {
            handle(message);
            payload.resolveOffset(message.offset);
          },
        );
      },
    });
    const total = () => batchSizes.reduce((a, b) => a + b, 0);
    expect(await pollUntil(() => total() === TENANTS.length, 30_000)).toBe(true);
    // The three records were sent together: they arrive as one batch of three traces.
    expect(batchSizes).toEqual([TENANTS.length]);
    expectOneTracePerMessage(tracing, logs, topic);
  }, 60_000);
});

// Last in the file: the SDK is unregistered for it (useTracing shuts the rest down after).
describe('through Kafka with kafkajs, without a tracing SDK', () => {
  beforeAll(() => trace.disable());

  it("continues each record's trace in the consumer (eachBatch), logs correlated, baggage through", async () => {
    const topic = 'orders-lightweight';
    await sendOrders(topic, true);
    const consumer = await subscribe(topic);
    let handled = 0;
    await consumer.run({
      eachBatch: async ({ batch }) => {
        await forEachMessage({ system: 'kafka', destination: batch.topic }, batch.messages, (m) => {
          handle(m);
          handled += 1;
        });
      },
    });
    expect(await pollUntil(() => handled === TENANTS.length, 30_000)).toBe(true);
    expectOneTracePerMessageWithoutSdk(logs);
  }, 60_000);
});
