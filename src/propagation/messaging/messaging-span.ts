import { SpanKind, SpanStatusCode, context } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { reportProblem } from '../../core/report-problem.js';
import { beginRequestScope, endRequestScope } from '../../core/request-scope.js';
import { requestScopesWatched } from '../../core/request-scope.js';

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

// error.type (ATTR_ERROR_TYPE, stable): the error's class name; `_OTHER` when there is none.
const ERROR_TYPE = 'error.type';

/**
 * Runs `fn(span)` inside `ctx` and ends `span` when `fn` is done: at once for a value, when
 * the promise settles for a native promise (the same promise is handed back, so the caller's
 * own handling is untouched), after adopting a non-native thenable once. On a throw or a
 * rejection the span gets status ERROR, `error.type` and the exception, and the caller's own
 * error is rethrown unchanged. With `scoped` (a consumer's span), the request-scope listeners
 * (the trace buffers) are told when the work begins and how it ended.
 */
export function runInSpan<T>(span: Span, ctx: Context, fn: (span: Span) => T, scoped = false): T {
  const scope = scoped && requestScopesWatched() ? span.spanContext().traceId : undefined;
  if (scope !== undefined) beginRequestScope(scope);
  let result: T;
  try {
    result = context.with(ctx, fn, undefined, span);
  } catch (error) {
    fail(span, error, scope);
    throw error;
  }
  if (result instanceof Promise) {
    // A side branch: it never rejects, so it adds no unhandled rejection of its own.
    result.then(
      () => end(span, scope, false),
      (error: unknown) => fail(span, error, scope),
    );
    return result;
  }
  if (isThenable(result)) {
    // Adopted once, so a lazy thenable (a query builder) is not run a second time by us.
    return Promise.resolve(result).then(
      (value) => (end(span, scope, false), value),
      (error: unknown) => {
        fail(span, error, scope);
        throw error;
      },
    ) as T;
  }
  end(span, scope, false);
  return result;
}

function fail(span: Span, error: unknown, scope: string | undefined): void {
  try {
    span.setAttribute(ERROR_TYPE, errorType(error));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
    if (error instanceof Error || typeof error === 'string') span.recordException(error);
  } catch (problem) {
    reportProblem(
      'recording an error on a messaging span',
      'the span has no error status',
      problem,
    );
  }
  end(span, scope, true);
}

// A subclass that does not set `name` still reads `Error`; its constructor name is then the
// better class name (what the conventions ask for), unless minification left nothing useful.
function errorType(error: unknown): string {
  if (!(error instanceof Error)) return '_OTHER';
  if (error.name !== 'Error' && error.name !== '') return error.name;
  const constructorName: unknown = (error.constructor as { name?: unknown } | undefined)?.name;
  return typeof constructorName === 'string' && constructorName.length > 1
    ? constructorName
    : 'Error';
}

function end(span: Span, scope: string | undefined, failed: boolean): void {
  try {
    span.end();
  } catch (error) {
    reportProblem('ending a messaging span', 'the span may not be exported', error);
  }
  if (scope !== undefined) endRequestScope(scope, failed);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
