import { InvalidOptionError } from '../../core/invalid-option-error.js';
import { withAddedTraceHeaders } from './trace-headers.js';
import { isUndiciInstrumented } from './trace-headers.js';

/** undici's `Dispatcher#dispatch`, typed structurally so tracelink never loads undici. */
export type DispatchLike = (options: never, handler: never) => boolean;

/** An undici 7 interceptor for `dispatcher.compose()`: takes a dispatch, returns a dispatch. */
export type DispatchInterceptor = <D extends DispatchLike>(dispatch: D) => D;

/** Options of {@link traceContextInterceptor}. */
export interface TraceContextInterceptorOptions {
  /**
   * Leave injection to an instrumentation observing undici (`@opentelemetry/instrumentation-undici`
   * adds its own `traceparent` after interceptors run; two would break the trace).
   * @default true
   */
  deferToInstrumentation?: boolean;
}

/**
 * An undici interceptor that adds the active trace context to every request's headers, for
 * `dispatcher.compose()` (undici ≥ 7). Set the composed dispatcher globally and Node's own
 * `fetch` uses it too. Headers the caller set win (no second `traceparent`); redirects and
 * retries dispatched again carry the same context. undici is never imported by tracelink.
 *
 * @throws {InvalidOptionError} when an option is invalid.
 * @example
 * ```ts
 * import { Agent, setGlobalDispatcher } from 'undici';
 * setGlobalDispatcher(new Agent().compose(traceContextInterceptor()));
 * await fetch('https://api.example.com/users'); // carries traceparent
 * ```
 */
export function traceContextInterceptor(
  options: TraceContextInterceptorOptions = {},
): DispatchInterceptor {
  const { deferToInstrumentation = true } = options;
  if (typeof deferToInstrumentation !== 'boolean') {
    throw new InvalidOptionError('deferToInstrumentation', 'a boolean', deferToInstrumentation);
  }
  return <D extends DispatchLike>(dispatch: D): D => {
    const call = dispatch as unknown as (options: unknown, handler: unknown) => boolean;
    // Exactly two parameters: compose() rejects a dispatch whose length is not 2.
    const traced = (dispatchOptions: unknown, handler: unknown): boolean =>
      call(withTraceHeaders(dispatchOptions, deferToInstrumentation), handler);
    return traced as unknown as D;
  };
}

function withTraceHeaders(dispatchOptions: unknown, defer: boolean): unknown {
  if (defer && isUndiciInstrumented()) return dispatchOptions;
  if (typeof dispatchOptions !== 'object' || dispatchOptions === null) return dispatchOptions;
  return withAddedTraceHeaders(dispatchOptions, 'adding trace headers to an undici request');
}
