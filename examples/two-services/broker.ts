import type { ChildProcess } from 'node:child_process';

/** A message as the example broker carries it: headers shaped like kafkajs's. */
export interface BrokerMessage {
  readonly topic: string;
  readonly value: string;
  readonly headers: Record<string, string | Uint8Array>;
}

/**
 * The smallest stand-in for Kafka or RabbitMQ: every message one service publishes (over its
 * IPC channel) is delivered to the other. The trace context travels only in the message's
 * headers, exactly as it would through a real broker.
 */
export function relayMessages(from: ChildProcess, to: ChildProcess): void {
  from.on('message', (message: Partial<BrokerMessage>) => {
    if (typeof message.topic === 'string') to.send(message);
  });
}
