import type { AnyValueMap } from '@opentelemetry/api-logs';
import type { ErrorView } from './error-view.js';
import { limitString } from './limit-string.js';
import { renderStacktrace } from './render-stacktrace.js';

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
