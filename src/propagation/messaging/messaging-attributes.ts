import { SpanKind } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';
import { reportProblem } from '../../report-problem.js';

// Attribute names of the OpenTelemetry messaging semantic conventions, as in
// @opentelemetry/semantic-conventions 1.45.0 (incubating entry point, so copied rather than
// imported: that entry point may break in minor releases, and it is not a runtime dependency).
const MESSAGING_SYSTEM = 'messaging.system'; // ATTR_MESSAGING_SYSTEM
const DESTINATION_NAME = 'messaging.destination.name'; // ATTR_MESSAGING_DESTINATION_NAME
const OPERATION_TYPE = 'messaging.operation.type'; // ATTR_MESSAGING_OPERATION_TYPE
const OPERATION_NAME = 'messaging.operation.name'; // ATTR_MESSAGING_OPERATION_NAME
const MESSAGE_ID = 'messaging.message.id'; // ATTR_MESSAGING_MESSAGE_ID
const PARTITION_ID = 'messaging.destination.partition.id'; // ATTR_MESSAGING_DESTINATION_PARTITION_ID
// ATTR_KAFKA_MESSAGE_KEY; 1.45.0 deprecates `messaging.kafka.message.key` in its favour.
const KAFKA_MESSAGE_KEY = 'kafka.message.key';

/** What the producer and consumer helpers share. */
export interface MessagingSpanOptions {
  /** `messaging.system`, e.g. `kafka`, `rabbitmq`, `aws_sqs`. */
  system: string;
  /** `messaging.destination.name`: the topic, queue or exchange; part of the span name. */
  destination: string;
  /** `messaging.message.id`. @default undefined (not set) */
  messageId?: string;
  /** `kafka.message.key` (only when `system` is `kafka`). @default undefined (not set) */
  kafkaMessageKey?: string;
  /** `messaging.destination.partition.id`. @default undefined (not set) */
  partitionId?: string | number;
  /** More span attributes, written first (the messaging ones win). @default undefined */
  attributes?: Attributes;
  /** The context to start from. @default context.active() */
  context?: Context;
}

/** A messaging operation as the span describes it. */
export interface MessagingOperation {
  readonly type: 'create' | 'send' | 'receive' | 'process';
  readonly kind: SpanKind;
}

// messaging.operation.type values and span kinds from the messaging spans conventions: create
// and send are PRODUCER, process is CONSUMER, receive (a pull) is CLIENT. `publish` is the
// deprecated type value, written as type `send` with `publish` kept as the operation name.
export const OPERATIONS: Readonly<Record<string, MessagingOperation>> = {
  send: { type: 'send', kind: SpanKind.PRODUCER },
  publish: { type: 'send', kind: SpanKind.PRODUCER },
  create: { type: 'create', kind: SpanKind.PRODUCER },
  process: { type: 'process', kind: SpanKind.CONSUMER },
  receive: { type: 'receive', kind: SpanKind.CLIENT },
};

/** The span name and attributes of one messaging operation; bad options are reported, not thrown. */
export function describeOperation(
  options: MessagingSpanOptions,
  operationName: string,
): { name: string; attributes: Attributes } {
  const attributes: Attributes = { ...options.attributes };
  const where = `starting a messaging span (${operationName})`;
  if (isText(options.system)) attributes[MESSAGING_SYSTEM] = options.system;
  else reportProblem(where, 'left messaging.system unset', 'system is not a non-empty string');
  attributes[OPERATION_TYPE] = OPERATIONS[operationName]?.type ?? operationName;
  attributes[OPERATION_NAME] = operationName;
  const destination = isText(options.destination) ? options.destination : undefined;
  // Span name `{messaging.operation.name} {destination}`; without a destination, the
  // conventions ask for the operation name alone.
  if (destination !== undefined) attributes[DESTINATION_NAME] = destination;
  else reportProblem(where, 'named the span without a destination', 'no destination given');
  if (isText(options.messageId)) attributes[MESSAGE_ID] = options.messageId;
  if (options.partitionId !== undefined) attributes[PARTITION_ID] = String(options.partitionId);
  if (options.system === 'kafka' && isText(options.kafkaMessageKey)) {
    attributes[KAFKA_MESSAGE_KEY] = options.kafkaMessageKey;
  }
  const name = destination === undefined ? operationName : `${operationName} ${destination}`;
  return { name, attributes };
}

/** `value` when it is one of `allowed`, else `fallback` with a `diag` message. */
export function pickOption<T extends string>(
  option: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (allowed.includes(value as T)) return value as T;
  reportProblem(`reading the messaging option ${option}`, `used "${fallback}"`, describe(value));
  return fallback;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
