import { context } from '@opentelemetry/api';
import { InvalidOptionError } from '../../core/invalid-option-error.js';
import { outgoingContext } from './client-span.js';
import { withAddedTraceHeaders } from './trace-headers.js';
import { expectingUndici } from './undici-requests.js';

/** undici's `Dispatcher#dispatch`, typed structurally so tracelink never loads undici. */
export type DispatchLike = (options: never, handler: never) => boolean;

/** An undici 7 interceptor for `dispatcher.compose()`: takes a dispatch, returns a dispatch. */
export type DispatchInterceptor = <D extends DispatchLike>(dispatch: D) => D;

/** Options of {@link traceContextInterceptor}. */
export interface TraceContextInterceptorOptions {
  /**
   * When another party (`@opentelemetry/instrumentation-undici`, an APM agent) adds its own
   * `traceparent` to the same request after interceptors run, remove tracelink's (two would
   * break the trace). Decided per request; `false` keeps tracelink's regardless.
   * @default true
   */
  deferToInstrumentation?: boolean;
}

/**
 * An undici interceptor that adds the active trace context to every request's headers, for
 * `dispatcher.compose()` (undici ≥ 7). Set the composed dispatcher globally and Node's own
 * `fetch` uses it too. With a tracing SDK each request gets a CLIENT span whose id is the
 * downstream parent (unless an instrumentation made one); in lightweight mode a fresh span id. Headers the caller set win (no second `traceparent`); redirects and
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
  if (typeof dispatchOptions !== 'object' || dispatchOptions === null) return dispatchOptions;
  const outgoing = outgoingContext(context.active());
  return withAddedTraceHeaders(
    dispatchOptions,
    'adding trace headers to an undici request',
    outgoing.context,
    expectingUndici(outgoing, defer),
  );
}
