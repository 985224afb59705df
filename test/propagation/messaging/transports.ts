import type { MessageHeaders } from '../../../src/propagation/messaging/message-propagation';

/** A carrier shape and how a broker hands its headers to the consumer. */
export interface Transport {
  readonly name: string;
  empty(): MessageHeaders;
  deliver(sent: MessageHeaders): MessageHeaders;
}

const toBuffers = (record: object): Record<string, Buffer> =>
  Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, Buffer.from(String(value))]),
  );

// Kafka delivers header values as Buffers whatever was sent; AMQP and Map carriers as sent.
export const TRANSPORTS: readonly Transport[] = [
  {
    name: 'a Kafka header list with Buffer values (node-rdkafka)',
    empty: () => [],
    deliver: (sent) => (sent as object[]).map(toBuffers),
  },
  {
    name: 'a Kafka header record with Buffer values (kafkajs)',
    empty: () => ({}),
    deliver: (sent) => toBuffers(sent),
  },
  {
    name: 'AMQP headers',
    empty: () => ({ 'x-retry': 0 }),
    deliver: (sent) => ({ ...(sent as object) }),
  },
  {
    name: 'a Map',
    empty: () => new Map<string, unknown>(),
    deliver: (sent) => new Map(sent as Map<string, unknown>),
  },
  {
    name: 'a plain object',
    empty: () => ({}),
    deliver: (sent) => JSON.parse(JSON.stringify(sent)) as MessageHeaders,
  },
];
