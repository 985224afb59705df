import { readOwn } from './read-own.js';

/**
 * Whether `value` is a live `Error` — also one from another realm (a `vm` context or a
 * worker), which `instanceof` misses but whose brand `Object.prototype.toString` still shows.
 *
 * @example
 * ```ts
 * isLiveError(new TypeError('x')); // true
 * isLiveError({ message: 'x' }); // false
 * ```
 */
export function isLiveError(value: unknown): value is Error {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
  } catch {
    return false; // a Proxy whose getPrototypeOf trap throws is not an error we can read
  }
}

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
