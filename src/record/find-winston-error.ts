import { isLiveError } from './error-like.js';
import { readErrorView, viewOfStackRecord } from './error-view.js';
import type { ErrorView } from './error-view.js';
import { readOwn } from './read-own.js';

/**
 * The error a winston `info` carries, and where.
 *
 * @example
 * ```ts
 * const found: WinstonError | undefined = findWinstonError(info, new Set());
 * ```
 */
export interface WinstonError {
  /** The error object: `info` itself, or the value of `key`. */
  readonly error: object;
  readonly view: ErrorView;
  /** The field holding the error, when it is a meta field; its extra props stay there. */
  readonly key: string | undefined;
}

/**
 * Finds the error of a winston `info`, in winston's three shapes, first match wins:
 * 1. `info` is itself an `Error` (`logger.error(err)` without `format.errors()`);
 * 2. `info.stack` is a string that starts like a stack (`TypeError: …`), as
 *    `format.errors({ stack: true })` and `logger.error('msg', err)` leave it (winston copies
 *    the error's `stack`, `message` and `cause` onto `info`);
 * 3. the first field holding a live `Error` (`logger.info('msg', { error: err })`).
 * Later `Error` fields are ordinary attributes (`{ type, message, stack, … }` maps).
 *
 * @example
 * ```ts
 * findWinstonError({ message: 'failed', error: new Error('boom') }, new Set())?.key; // 'error'
 * ```
 */
export function findWinstonError(
  info: object,
  skip: ReadonlySet<string>,
): WinstonError | undefined {
  if (isLiveError(info)) return { error: info, view: readErrorView(info), key: undefined };
  const stack = readOwn(info, 'stack');
  if (typeof stack === 'string') {
    const view = viewOfStackRecord(stack, readOwn(info, 'message'), readOwn(info, 'cause'));
    // A `stack` meta field that is no error's stack ('node, postgres') stays an attribute.
    if (view.type !== undefined) return { error: info, view, key: undefined };
  }
  for (const key of ownKeys(info)) {
    if (skip.has(key)) continue;
    const value = readOwn(info, key);
    if (isLiveError(value)) {
      return { error: value, view: readErrorView(value), key };
    }
  }
  return undefined;
}

function ownKeys(info: object): string[] {
  try {
    return Object.keys(info);
  } catch {
    return []; // reported where the attributes are read
  }
}
