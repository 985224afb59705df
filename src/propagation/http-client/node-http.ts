import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import type { Context } from '@opentelemetry/api';
import { withAddedTraceHeaders } from './trace-headers.js';

/** The part of `http.request` options tracelink reads: a header record or a flat array. */
export interface RequestOptionsLike {
  headers?: Readonly<Record<string, unknown>> | readonly unknown[] | null | undefined;
}

/**
 * Returns a copy of `http.request`/`https.request` options whose `headers` also carry the
 * trace context of `ctx` (the active context by default). `options` is never mutated. A
 * header the caller set (any spelling) wins over the injected one. Never throws.
 *
 * @example
 * ```ts
 * const req = http.request(injectIntoRequestOptions({ host: 'api', path: '/users' }), onResponse);
 * ```
 */
export function injectIntoRequestOptions<T extends object>(options: T, ctx?: Context): T {
  return withAddedTraceHeaders(options, 'adding trace headers to a request', ctx);
}

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

/** What {@link instrumentOutgoingHttp} installed. */
export interface OutgoingHttpInstrumentation {
  /** Restores `http`/`https` `request` and `get`. Safe to call more than once. */
  uninstall(): void;
}

type Patchable = Record<'request' | 'get', (...args: unknown[]) => unknown>;

let installed: OutgoingHttpInstrumentation | undefined;

/**
 * **Opt-in global patch.** Replaces `http.request`, `http.get`, `https.request` and `https.get`
 * so every outgoing request made through them carries the active trace context — including
 * requests made by libraries you do not call yourself. Prefer {@link tracedRequest} when you
 * own the call sites. Idempotent: while installed, further calls return the same handle. A
 * header already set (by the caller, or by OpenTelemetry's http instrumentation) is kept, so
 * no request carries two `traceparent`s. ESM named imports (`import { request } from
 * 'node:http'`) see the patch too.
 *
 * @example
 * ```ts
 * const outgoing = instrumentOutgoingHttp();
 * // … on shutdown, or in a test's afterAll:
 * outgoing.uninstall();
 * ```
 */
export function instrumentOutgoingHttp(): OutgoingHttpInstrumentation {
  if (installed !== undefined) return installed;
  const restores = [http, https].flatMap((module) => [
    patch(module as unknown as Patchable, 'request'),
    patch(module as unknown as Patchable, 'get'),
  ]);
  syncBuiltinESMExports();
  const handle: OutgoingHttpInstrumentation = {
    uninstall() {
      if (installed !== handle) return;
      installed = undefined;
      for (const restore of restores) restore();
      syncBuiltinESMExports();
    },
  };
  installed = handle;
  return handle;
}

// Returns the restore function. If someone patched over ours since, putting the original back
// would remove their patch too: ours is left in their chain, switched to a pass-through.
function patch(module: Patchable, name: 'request' | 'get'): () => void {
  const original = module[name];
  let active = true;
  const patched = function (this: unknown, ...args: unknown[]): unknown {
    return original.apply(this, active ? withTracedOptions(args) : args);
  };
  module[name] = patched;
  return () => {
    active = false;
    if (module[name] === patched) module[name] = original;
  };
}
