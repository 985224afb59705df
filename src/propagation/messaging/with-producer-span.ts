import { context as api } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { MessageHeaders } from '../message-propagation.js';
import { injectIntoMessage } from '../message-propagation.js';
import { startChildSpan } from '../spans/start-child-span.js';
import { OPERATIONS, describeOperation, pickOption } from './messaging-attributes.js';
import type { MessagingSpanOptions } from './messaging-attributes.js';
import { runInSpan } from './run-in-span.js';

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
