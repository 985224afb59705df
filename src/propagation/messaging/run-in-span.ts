import { SpanStatusCode, context } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import { reportProblem } from '../../report-problem.js';

// error.type (ATTR_ERROR_TYPE, stable): the error's class name; `_OTHER` when there is none.
const ERROR_TYPE = 'error.type';

/**
 * Runs `fn(span)` inside `ctx` and ends `span` when `fn` is done: at once for a value, when
 * the promise settles for a native promise (the same promise is handed back, so the caller's
 * own handling is untouched), after adopting a non-native thenable once. On a throw or a
 * rejection the span gets status ERROR, `error.type` and the exception, and the caller's own
 * error is rethrown unchanged.
 */
export function runInSpan<T>(span: Span, ctx: Context, fn: (span: Span) => T): T {
  let result: T;
  try {
    result = context.with(ctx, fn, undefined, span);
  } catch (error) {
    fail(span, error);
    throw error;
  }
  if (result instanceof Promise) {
    // A side branch: it never rejects, so it adds no unhandled rejection of its own.
    result.then(
      () => end(span),
      (error: unknown) => fail(span, error),
    );
    return result;
  }
  if (isThenable(result)) {
    // Adopted once, so a lazy thenable (a query builder) is not run a second time by us.
    return Promise.resolve(result).then(
      (value) => (end(span), value),
      (error: unknown) => {
        fail(span, error);
        throw error;
      },
    ) as T;
  }
  end(span);
  return result;
}

function fail(span: Span, error: unknown): void {
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
  end(span);
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

function end(span: Span): void {
  try {
    span.end();
  } catch (error) {
    reportProblem('ending a messaging span', 'the span may not be exported', error);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
