import { isErrorLike } from './error-like.js';
import { readErrorView } from './error-view.js';
import type { ErrorView } from './error-view.js';

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
