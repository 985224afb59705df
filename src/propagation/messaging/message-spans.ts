import { context as api, trace } from '@opentelemetry/api';
import type { Link, Span } from '@opentelemetry/api';
import { readSpanContext } from '../../core/span-context.js';
import { extractFromMessage, injectIntoMessage } from './message-propagation.js';
import type { MessageHeaders } from './message-propagation.js';
import { startChildSpan } from '../child-span.js';
import { InvalidOptionError } from '../../core/invalid-option-error.js';
import { OPERATIONS, describeOperation, pickOption, runInSpan } from './messaging-span.js';
import type { MessagingSpanOptions } from './messaging-span.js';

/** Options of {@link withConsumerSpan}. */
export interface ConsumerSpanOptions extends MessagingSpanOptions {
  /**
   * `messaging.operation.name`: `process` (a CONSUMER span) or `receive` (a pull; a CLIENT
   * span, as the conventions give it).
   * @default 'process'
   */
  operation?: 'process' | 'receive';
  /**
   * `child`: the span's parent is the producer's span. `link`: the span starts a new trace
   * and links to the producer's span — for batch consumers, where one span covers messages
   * from many traces.
   * @default 'child'
   */
  parenting?: 'child' | 'link';
}

const CONSUMER_OPERATIONS = ['process', 'receive'] as const;
const PARENTING = ['child', 'link'] as const;

/**
 * Reads the producer's context from `headers`, starts a CONSUMER span `{operation}
 * {destination}` (e.g. `process orders`) as its child — or as a new root linked to it with
 * `parenting: 'link'` — and runs `fn(span)` inside it, with the baggage from the headers
 * unchanged. Absent or invalid headers start a new trace (a span active around the call is
 * not taken as the parent). The span ends as in
 * {@link withProducerSpan}. Without a tracing SDK the span is a bare span context with the
 * producer's trace id and a new span id, so log lines written in `fn` carry the trace.
 *
 * @throws {InvalidOptionError} when `options` is not an object or `fn` not a function.
 * @example
 * ```ts
 * await consumer.run({
 *   eachMessage: ({ message }) =>
 *     withConsumerSpan({ system: 'kafka', destination: 'orders' }, message.headers, () =>
 *       handle(message),
 *     ),
 * });
 * ```
 */
export function withConsumerSpan<T>(
  options: ConsumerSpanOptions,
  headers: MessageHeaders | null | undefined,
  fn: (span: Span) => T,
): T {
  checkArguments(options, fn);
  const operation = pickOption('operation', options.operation, CONSUMER_OPERATIONS, 'process');
  const parenting = pickOption('parenting', options.parenting, PARENTING, 'child');
  const { name, attributes } = describeOperation(options, operation);
  // The parent comes from the headers only: a span active around the call (a poll loop's) is
  // not the message's creation context. Baggage active around the call is kept unless the
  // headers carry their own.
  const extracted = extractFromMessage(headers, trace.deleteSpan(options.context ?? api.active()));
  const kind = OPERATIONS[operation]?.kind;
  if (parenting === 'child') {
    const { span, context } = startChildSpan(extracted, name, { kind, attributes });
    return runInSpan(span, context, fn, true);
  }
  // A new root: the span is dropped from the context, its baggage kept.
  const producer = readSpanContext(extracted);
  const links: Link[] = producer === undefined ? [] : [{ context: producer }];
  const root = trace.deleteSpan(extracted);
  const { span, context } = startChildSpan(root, name, { kind, attributes, links, root: true });
  return runInSpan(span, context, fn, true);
}

/** Options of {@link withProducerSpan}. */
export interface ProducerSpanOptions extends MessagingSpanOptions {
  /**
   * `messaging.operation.name`, first word of the span name. `publish` is written with
   * `messaging.operation.type` `send` (the conventions deprecate `publish` as a type).
   * @default 'send'
   */
  operation?: 'send' | 'publish' | 'create';
}

const PRODUCER_OPERATIONS = ['send', 'publish', 'create'] as const;

/**
 * Starts a PRODUCER span `{operation} {destination}` (e.g. `send orders`) as a child of the
 * active context, writes its context into `headers` (a plain object or AMQP headers, a Kafka
 * header record or list, a `Map`) and runs `fn(span)` inside it. The span ends when `fn`
 * returns or, for a promise, when it settles; a throw or rejection marks it ERROR and is
 * rethrown unchanged. Without a tracing SDK the span is a bare span context (same trace, new
 * span id), so consumers still continue the trace. Never throws on its own account.
 *
 * @throws {InvalidOptionError} when `options` is not an object or `fn` not a function.
 * @example
 * ```ts
 * const headers = {};
 * await withProducerSpan({ system: 'kafka', destination: 'orders' }, headers, () =>
 *   producer.send({ topic: 'orders', messages: [{ value, headers }] }),
 * );
 * ```
 */
export function withProducerSpan<T>(
  options: ProducerSpanOptions,
  headers: MessageHeaders,
  fn: (span: Span) => T,
): T {
  checkArguments(options, fn);
  const operation = pickOption('operation', options.operation, PRODUCER_OPERATIONS, 'send');
  const { name, attributes } = describeOperation(options, operation);
  const parent = options.context ?? api.active();
  const { span, context } = startChildSpan(parent, name, {
    kind: OPERATIONS[operation]?.kind,
    attributes,
  });
  injectIntoMessage(headers, context);
  return runInSpan(span, context, fn);
}

// A programming error, found on the first call: thrown before the span starts or `fn` runs.
function checkArguments(options: unknown, fn: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError(
      'options',
      'an options object ({ system, destination, … })',
      options,
    );
  }
  if (typeof fn !== 'function') throw new InvalidOptionError('fn', 'a function', fn);
}
