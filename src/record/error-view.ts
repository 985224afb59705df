import { errorTypeOf, isErrorLike, isLiveError } from './error-like.js';

/**
 * What an error (live or serialized) says about itself, read once, safely.
 *
 * @example
 * ```ts
 * const view: ErrorView = readErrorView(JSON.parse(line).err);
 * ```
 */
export interface ErrorView {
  readonly type: string | undefined;
  readonly message: string | undefined;
  readonly stack: string | undefined;
  /** The next error of the cause chain, when error-like. */
  readonly cause: object | undefined;
  /** An aggregate's errors (`AggregateError.errors`, pino's `aggregateErrors`). */
  readonly aggregated: readonly unknown[];
  /** The error's own keys that the view carries, so they are not attributes too. */
  readonly consumedKeys: readonly string[];
}

// A live error's `type` is the application's own field (body-parser's `entity.too.large`),
// not its class: only a serialized error's `type` is read, and consumed.
const LIVE_KEYS = ['name', 'message', 'stack'];
const SERIALIZED_KEYS = ['type', 'name', 'message', 'stack'];

/**
 * Reads a live `Error` or one serialized by pino-std-serializers (`{ type, message, stack,
 * cause?, aggregateErrors?, …extra }`). `type` is the serialized `type`, else the live
 * error's constructor name, else its `name`. Never throws: what cannot be read is absent.
 *
 * @example
 * ```ts
 * readErrorView(new TypeError('bad', { cause: new Error('root') })).type; // 'TypeError'
 * ```
 */
export function readErrorView(error: object): ErrorView {
  const live = isLiveError(error);
  const name = read(error, 'name');
  const cause = read(error, 'cause');
  const aggregateKey = live ? 'errors' : 'aggregateErrors';
  const aggregated = read(error, aggregateKey);
  const consumedKeys = [...(live ? LIVE_KEYS : SERIALIZED_KEYS)];
  if (isErrorLike(cause)) consumedKeys.push('cause');
  if (Array.isArray(aggregated)) consumedKeys.push(aggregateKey);
  return {
    type: live ? errorTypeOf(error) : stringOr(read(error, 'type'), stringOr(name, undefined)),
    message: stringOr(read(error, 'message'), undefined),
    stack: stringOr(read(error, 'stack'), undefined),
    cause: isErrorLike(cause) ? cause : undefined,
    aggregated: Array.isArray(aggregated) ? (aggregated as unknown[]) : [],
    consumedKeys,
  };
}

// `TypeError: bad input` or `TypeError [ERR_X]: bad input` — the head V8 (and Node, for its
// coded errors) writes before the first `    at` frame.
const STACK_HEAD = /^([A-Za-z_$][\w$.]*)(?: \[[^\]\n]*\])?(?:: ([\s\S]*?))?(?:\n {4}at |$)/;

/**
 * The view of a record that carries an error's fields itself, as winston's
 * `format.errors({ stack: true })` or `logger.error('msg', err)` leave it: `stack`, the
 * `message` (which winston may have prefixed with the log message) and maybe `cause`. Type
 * and message come from the stack's head line (`TypeError: bad input`), because the record
 * has neither the error's class nor its own message any more.
 *
 * @example
 * ```ts
 * viewOfStackRecord('TypeError: bad\n    at f (a.js:1:1)', 'failed bad', undefined).type; // 'TypeError'
 * ```
 */
export function viewOfStackRecord(stack: string, message: unknown, cause: unknown): ErrorView {
  const head = STACK_HEAD.exec(stack);
  return {
    type: head?.[1],
    message: head?.[2] ?? stringOr(message, undefined),
    stack,
    cause: isErrorLike(cause) ? cause : undefined,
    aggregated: [],
    consumedKeys: isErrorLike(cause) ? ['stack', 'cause'] : ['stack'],
  };
}

function read(source: object, key: string): unknown {
  try {
    // Inherited too: a live error's `name` (and some classes' `message`) is on the prototype.
    return (source as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function stringOr(value: unknown, fallback: string | undefined): string | undefined {
  return typeof value === 'string' ? value : fallback;
}
