import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { context } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { outgoingContext } from './client-span.js';
import type { OutgoingContext } from './client-span.js';
import { addedValue, withAddedTraceHeaders } from './trace-headers.js';
import type { TraceHeader } from './trace-headers.js';
import { settleClientRequest } from './node-client-span.js';

/** The part of `http.request` options tracelink reads: a header record or a flat array. */
export interface RequestOptionsLike {
  headers?: Readonly<Record<string, unknown>> | readonly unknown[] | null | undefined;
}

/**
 * Returns a copy of `http.request`/`https.request` options whose `headers` also carry the
 * trace context of `ctx` (the active context by default). `options` is never mutated. A
 * header the caller set (any spelling) wins over the injected one. In lightweight mode each
 * call gets a fresh span id as the parent-id; with an SDK it is the span of `ctx` (this
 * function never sees the request: use {@link tracedRequest} for a CLIENT span). Never throws.
 *
 * @example
 * ```ts
 * const req = http.request(injectIntoRequestOptions({ host: 'api', path: '/users' }), onResponse);
 * ```
 */
export function injectIntoRequestOptions<T extends object>(options: T, ctx?: Context): T {
  const outgoing = outgoingContext(ctx ?? context.active());
  return withAddedTraceHeaders(options, 'adding trace headers to a request', outgoing.context);
}

/** `http.request`, `https.request`, `http.get` or `https.get`, or anything called like them. */
export type RequestFunctionLike = (...args: never[]) => unknown;

/**
 * Wraps `http.request` (or `https.request`, `http.get`, `https.get`) so every request carries
 * the active trace context; the wrapper has the wrapped function's type and accepts all its
 * overloads: `(url)`, `(url, callback)`, `(url, options, callback)`, `(options, callback)`.
 * Options are copied, never mutated; a header the caller set wins. Nothing global is patched.
 * With a tracing SDK each request gets a CLIENT span (stable HTTP semantic conventions) whose
 * id is the downstream parent, ended when the response ends or the request fails; when
 * `@opentelemetry/instrumentation-http` replaced the `traceparent` with its own span's, that
 * span is the request's and tracelink makes none. In lightweight mode each request gets a
 * fresh span id.
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
  // `get` ends the request before returning it, when its headers can no longer change: it is
  // sent as `request` + `end()`, as Node's own `get` does, so a CLIENT span can be injected.
  const module =
    requestFn === (http.get as unknown)
      ? http
      : requestFn === (https.get as unknown)
        ? https
        : undefined;
  return function traced(this: unknown, ...args: unknown[]): unknown {
    if (module === undefined) return sendTraced(this, args, call, false);
    return sendTraced(this, args, module.request as (...a: unknown[]) => unknown, true);
  } as unknown as F;
}

/**
 * Sends one `http.request`-style call with the trace headers added to its options, then
 * settles the CLIENT span (see {@link settleClientRequest}); `end` calls `end()` on the request
 * afterwards (for `get`). Never throws more than `call` itself.
 */
function sendTraced(
  thisArg: unknown,
  args: unknown[],
  call: (...args: unknown[]) => unknown,
  end: boolean,
): unknown {
  const outgoing = outgoingContext(context.active());
  let added: readonly TraceHeader[] = [];
  const startTime = Date.now();
  const req = call.apply(
    thisArg,
    withTracedOptions(args, outgoing, (headers) => (added = headers)),
  );
  const traceparent = addedValue(added, 'traceparent');
  if (traceparent !== undefined) {
    settleClientRequest(req, outgoing, traceparent, addedValue(added, 'tracestate'), startTime);
  }
  if (end) (req as { end(): unknown }).end();
  return req;
}

/** The arguments of a `http.request`-style call with the trace headers added to its options. */
function withTracedOptions(
  args: unknown[],
  outgoing: OutgoingContext,
  onAdded: (added: readonly TraceHeader[]) => void,
): unknown[] {
  const inject = <T extends object>(options: T): T =>
    withAddedTraceHeaders(options, 'adding trace headers to a request', outgoing.context, onAdded);
  const [first, second] = args;
  if (typeof first === 'string' || first instanceof URL) {
    // (url, options, cb?): the options are merged over the URL by Node; add ours to them.
    if (isOptions(second)) return [first, inject(second), ...args.slice(2)];
    // (url, cb?) or (url, undefined, cb): an options object of our own, only when there is
    // something to add; it takes the place of an `undefined` one rather than shifting `cb`.
    const options = inject({});
    if (!('headers' in options)) return args;
    const rest = second === undefined || second === null ? args.slice(2) : args.slice(1);
    return [first, options, ...rest];
  }
  if (isOptions(first)) return [inject(first), ...args.slice(1)];
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
  // `get` as `request` + `end()` (see tracedRequest), through the module's current `request`:
  // an instrumentation that patched it after us still sees the call.
  const patched = function (this: unknown, ...args: unknown[]): unknown {
    if (!active) return original.apply(this, args);
    if (name === 'get') return sendTraced(this, args, (...a) => module.request(...a), true);
    return sendTraced(this, args, original, false);
  };
  module[name] = patched;
  return () => {
    active = false;
    if (module[name] === patched) module[name] = original;
  };
}
