import { InvalidOptionError } from '../../options-error.js';
import { isRequestLike, withTraceHeaders } from './fetch-init.js';
import type { FetchInitLike } from './fetch-init.js';

/** Any fetch-shaped function: Node's global `fetch`, undici's, node-fetch, a test double. */
export type FetchLike = (input: never, init?: never) => unknown;

/** Options of {@link createTracedFetch}. */
export interface TracedFetchOptions {
  /**
   * Leave injection to an instrumentation observing undici (`@opentelemetry/instrumentation-undici`
   * adds its own `traceparent`; two in one request would break the trace).
   * @default true
   */
  deferToInstrumentation?: boolean;
}

/**
 * Wraps a fetch function so every call carries the active trace context in its headers; the
 * wrapper has the wrapped function's type. Without an argument it calls `globalThis.fetch` as
 * it is at call time, so a fetch replaced later (a mock, a polyfill) is the one used. Headers
 * the caller set win, a `Request` input keeps its headers, and `init` is never mutated (see
 * {@link withTraceHeaders}). Nothing global is patched.
 *
 * @throws {InvalidOptionError} when `fetchImpl` is given and is not a function, or an option
 * is invalid.
 * @example
 * ```ts
 * const fetch = createTracedFetch();
 * await fetch('https://api.example.com/users'); // sends traceparent (and baggage)
 * ```
 */
export function createTracedFetch<F extends FetchLike = typeof globalThis.fetch>(
  fetchImpl?: F,
  options: TracedFetchOptions = {},
): F {
  if (fetchImpl !== undefined && typeof fetchImpl !== 'function') {
    throw new InvalidOptionError('fetchImpl', 'a fetch function', fetchImpl);
  }
  const { deferToInstrumentation = true } = options;
  if (typeof deferToInstrumentation !== 'boolean') {
    throw new InvalidOptionError('deferToInstrumentation', 'a boolean', deferToInstrumentation);
  }
  const traced = (input: unknown, init?: FetchInitLike): unknown => {
    const call = (fetchImpl ?? globalThis.fetch) as (input: unknown, init?: unknown) => unknown;
    const request = isRequestLike(input) ? input : undefined;
    return call(input, withTraceHeaders(init, { request, deferToInstrumentation }));
  };
  return traced as unknown as F;
}

/**
 * Node's global `fetch`, carrying the active trace context: `createTracedFetch()`.
 *
 * @example
 * ```ts
 * const res = await tracedFetch('https://api.example.com/users', { headers: { accept: 'application/json' } });
 * ```
 */
export const tracedFetch: typeof globalThis.fetch = createTracedFetch();
