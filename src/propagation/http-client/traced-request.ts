import { injectIntoRequestOptions } from './request-options.js';

/** `http.request`, `https.request`, `http.get` or `https.get`, or anything called like them. */
export type RequestFunctionLike = (...args: never[]) => unknown;

/**
 * Wraps `http.request` (or `https.request`, `http.get`, `https.get`) so every request carries
 * the active trace context; the wrapper has the wrapped function's type and accepts all its
 * overloads: `(url)`, `(url, callback)`, `(url, options, callback)`, `(options, callback)`.
 * Options are copied, never mutated; a header the caller set wins. Nothing global is patched.
 *
 * @example
 * ```ts
 * import http from 'node:http';
 * const request = tracedRequest(http.request);
 * request('http://api.internal/users', (res) => res.resume()).end();
 * ```
 */
export function tracedRequest<F extends RequestFunctionLike>(requestFn: F): F {
  const call = requestFn as unknown as (...args: unknown[]) => unknown;
  return function traced(this: unknown, ...args: unknown[]): unknown {
    return call.apply(this, withTracedOptions(args));
  } as unknown as F;
}

/** The arguments of a `http.request`-style call with the trace headers added to its options. */
export function withTracedOptions(args: unknown[]): unknown[] {
  const [first, second] = args;
  if (typeof first === 'string' || first instanceof URL) {
    // (url, options, cb?): the options are merged over the URL by Node; add ours to them.
    if (isOptions(second)) return [first, injectIntoRequestOptions(second), ...args.slice(2)];
    // (url, cb?) or (url, undefined, cb): an options object of our own, only when there is
    // something to add; it takes the place of an `undefined` one rather than shifting `cb`.
    const options = injectIntoRequestOptions({});
    if (!('headers' in options)) return args;
    const rest = second === undefined || second === null ? args.slice(2) : args.slice(1);
    return [first, options, ...rest];
  }
  if (isOptions(first)) return [injectIntoRequestOptions(first), ...args.slice(1)];
  return args;
}

function isOptions(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !(value instanceof URL);
}
