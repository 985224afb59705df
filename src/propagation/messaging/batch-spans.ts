import { context as api } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { reportProblem } from '../../core/report-problem.js';
import { withConsumerSpan } from './message-spans.js';
import type { ConsumerSpanOptions } from './message-spans.js';
import type { MessageHeaders } from './message-propagation.js';

/** Options of {@link forEachMessage}: those of `withConsumerSpan`, with per-message readers. */
export interface BatchSpanOptions<M> extends Omit<
  ConsumerSpanOptions,
  'messageId' | 'kafkaMessageKey'
> {
  /**
   * Reads a message's headers. The default reads `message.headers` (kafkajs, node-rdkafka,
   * plain objects), then `message.properties.headers` (amqplib), then
   * `message.MessageAttributes` (SQS: each attribute's `StringValue`).
   * @default the readers above, in that order
   */
  headers?: (message: M) => MessageHeaders | null | undefined;
  /** Reads `messaging.message.id`. @default undefined (not set) */
  messageId?: (message: M) => string | undefined;
  /** Reads `kafka.message.key` (only when `system` is `kafka`). @default undefined (not set) */
  kafkaMessageKey?: (message: M) => string | undefined;
}

/**
 * Runs `fn` for each message of a batch in turn, each in a consumer span of its own, read from
 * that message's headers: its producer's span is the parent (or, with `parenting: 'link'`, a
 * link from a new trace), its baggage is the one `fn` sees. A batch mixing several traces
 * gives every record its own trace — never the first message's. The context around the call
 * (a poll loop's span) is not taken as a parent; its baggage is kept for messages that carry
 * none. Spans are as in `withConsumerSpan`.
 *
 * `fn` may be sync or async; the next message starts once it has settled. When it throws or
 * rejects, that message's span gets status ERROR, the rest of the batch is not processed and
 * the returned promise rejects with the error unchanged (as a `for` loop would; with kafkajs,
 * resolve offsets as you go). Resolves with `fn`'s results in order. A reader that throws is
 * reported through `diag` and its value left out.
 *
 * @example
 * ```ts
 * await consumer.run({
 *   eachBatch: ({ batch, resolveOffset }) =>
 *     forEachMessage({ system: 'kafka', destination: batch.topic }, batch.messages, async (message) => {
 *       await handle(message); // logger.info(…) here carries this message's trace
 *       resolveOffset(message.offset);
 *     }),
 * });
 * ```
 */
export async function forEachMessage<M, R>(
  options: BatchSpanOptions<M>,
  messages: Iterable<M>,
  fn: (message: M, span: Span, index: number) => R | PromiseLike<R>,
): Promise<R[]> {
  const { headers, messageId, kafkaMessageKey, ...shared } = options;
  // Captured once: every message starts from the same context, so nothing of one record's
  // context can reach the next.
  const base: ConsumerSpanOptions = { ...shared, context: options.context ?? api.active() };
  const readHeaders = reader('headers', headers) ?? defaultHeaders;
  const readId = reader('messageId', messageId);
  const readKey = reader('kafkaMessageKey', kafkaMessageKey);
  const results: R[] = [];
  let index = 0;
  for (const message of messages) {
    const position = index++;
    const spanOptions: ConsumerSpanOptions = {
      ...base,
      messageId: read(readId, message),
      kafkaMessageKey: read(readKey, message),
    };
    const carrier = read(readHeaders, message);
    results.push(
      await withConsumerSpan(spanOptions, carrier, (span) => fn(message, span, position)),
    );
  }
  return results;
}

function reader<M, T>(option: string, value: ((message: M) => T) | undefined) {
  if (value === undefined || typeof value === 'function') return value;
  reportProblem(`reading the batch option ${option}`, 'used the default', typeof value);
  return undefined;
}

function read<M, T>(readFn: ((message: M) => T) | undefined, message: M): T | undefined {
  if (readFn === undefined) return undefined;
  try {
    return readFn(message);
  } catch (error) {
    reportProblem("reading a message's headers or attributes", 'left it out', error);
    return undefined;
  }
}

/** kafkajs / plain `headers`, then amqplib's `properties.headers`, then SQS `MessageAttributes`. */
function defaultHeaders(message: unknown): MessageHeaders | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const record = message as {
    headers?: unknown;
    properties?: { headers?: unknown };
    MessageAttributes?: unknown;
  };
  if (typeof record.headers === 'object' && record.headers !== null) {
    return record.headers as MessageHeaders;
  }
  const amqp = record.properties?.headers;
  if (typeof amqp === 'object' && amqp !== null) return amqp as MessageHeaders;
  const sqs = record.MessageAttributes;
  if (typeof sqs === 'object' && sqs !== null) return fromSqsAttributes(sqs);
  return undefined;
}

// SQS message attributes: `{ name: { DataType: 'String', StringValue } }` (the AWS SDK's shape;
// the raw API's is the same). Only string values can carry a propagation header.
function fromSqsAttributes(attributes: object): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    const value: unknown = (attribute as { StringValue?: unknown } | null)?.StringValue;
    if (typeof value === 'string') {
      Object.defineProperty(headers, name, { value, enumerable: true, configurable: true });
    }
  }
  return headers;
}
