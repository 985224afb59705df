import type { AnyValueMap } from '@opentelemetry/api-logs';
import { readOwn, limitString } from './safe-values.js';
import { isLiveError } from '../../src/core/error-span.js';

/**
 * Whether `value` looks like an error: an object with a string `message` or `stack` — a live
 * `Error` or one serialized by pino-std-serializers (`{ type, message, stack, … }`).
 *
 * @example
 * ```ts
 * isErrorLike({ type: 'Error', message: 'boom', stack: '…' }); // true
 * isErrorLike({ code: 'E1' }); // false
 * ```
 */
export function isErrorLike(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (isLiveError(value)) return true;
  return (
    typeof readOwn(value, 'message') === 'string' || typeof readOwn(value, 'stack') === 'string'
  );
}

/**
 * The type name of a live error, as `exception.type` wants it: the constructor's name (a
 * subclass `class DbError extends Error` keeps the name `Error` unless it sets one, but its
 * constructor is `DbError`), else `name`. Never throws.
 *
 * @example
 * ```ts
 * class DbError extends Error {}
 * errorTypeOf(new DbError('x')); // 'DbError'
 * ```
 */
export function errorTypeOf(error: Error): string | undefined {
  try {
    const ctor: unknown = error.constructor;
    if (typeof ctor === 'function' && ctor.name !== '' && ctor.name !== 'Object') return ctor.name;
    return typeof error.name === 'string' ? error.name : undefined;
  } catch {
    return undefined;
  }
}

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

// Bounds, so a pathological chain (or a huge aggregate) cannot make the line unbounded; the
// whole text is cut at maxStringLength as well.
const MAX_CAUSES = 10;
const MAX_AGGREGATED = 10;

/**
 * `exception.stacktrace` for an error: its stack (or `Type: message` without one), then each
 * aggregated error's stack (`\nAggregated error 1 of 3: …`), then the cause chain, one
 * `\nCaused by: <stack>` per cause. Cycle-safe (`\nCaused by: [Circular]`) and bounded: at
 * most 10 causes and 10 aggregated errors, then a line saying how many were left out.
 *
 * @example
 * ```ts
 * const err = new Error('outer', { cause: new Error('inner') });
 * renderStacktrace(err, readErrorView(err)); // 'Error: outer\n    at …\nCaused by: Error: inner\n    at …'
 * ```
 */
export function renderStacktrace(error: object, view: ErrorView): string {
  const parts = [textOf(view)];
  const shown = Math.min(view.aggregated.length, MAX_AGGREGATED);
  for (let i = 0; i < shown; i++) {
    const item = view.aggregated[i];
    const text = isErrorLike(item) ? textOf(readErrorView(item)) : String(item);
    parts.push(`Aggregated error ${i + 1} of ${view.aggregated.length}: ${text}`);
  }
  if (view.aggregated.length > shown) {
    parts.push(`… ${view.aggregated.length - shown} more aggregated errors left out`);
  }
  const seen = new Set<object>([error]);
  let cause = view.cause;
  for (let links = 0; cause !== undefined; links++) {
    if (seen.has(cause)) {
      parts.push('Caused by: [Circular]');
      break;
    }
    if (links === MAX_CAUSES) {
      parts.push('Caused by: … (further causes left out)');
      break;
    }
    seen.add(cause);
    const causeView = readErrorView(cause);
    parts.push(`Caused by: ${textOf(causeView)}`);
    cause = causeView.cause;
  }
  return parts.join('\n');
}

function textOf(view: ErrorView): string {
  if (view.stack !== undefined) return view.stack;
  const type = view.type ?? 'Error';
  return view.message === undefined ? type : `${type}: ${view.message}`;
}

/**
 * The semantic-convention attributes of an exception — `exception.type`,
 * `exception.message`, `exception.stacktrace` (with the cause chain) — for those the error
 * has. Strings are limited to `maxStringLength` like every other value.
 *
 * @example
 * ```ts
 * const err = new TypeError('bad');
 * exceptionAttributes(err, readErrorView(err), 1024)['exception.type']; // 'TypeError'
 * ```
 */
export function exceptionAttributes(
  error: object,
  view: ErrorView,
  maxStringLength: number,
): AnyValueMap {
  const attributes: AnyValueMap = {};
  if (view.type !== undefined) {
    attributes['exception.type'] = limitString(view.type, maxStringLength);
  }
  if (view.message !== undefined) {
    attributes['exception.message'] = limitString(view.message, maxStringLength);
  }
  attributes['exception.stacktrace'] = limitString(renderStacktrace(error, view), maxStringLength);
  return attributes;
}
