import { context } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { reportProblem } from '../../core/report-problem.js';
import { outgoingContext } from './client-span.js';
import { recordHas, traceHeadersFor } from './trace-headers.js';
import type { OnAdded } from './trace-headers.js';
import { expectingUndici } from './undici-requests.js';
import { InvalidOptionError } from '../../core/invalid-option-error.js';

/** What fetch accepts as `init.headers`: a record, `[name, value]` pairs, or a `Headers`. */
export type FetchHeadersLike =
  | Record<string, string>
  | readonly (readonly [string, string])[]
  | Iterable<readonly [string, string]>;

/** The part of a fetch `RequestInit` tracelink reads. */
export interface FetchInitLike {
  headers?: FetchHeadersLike | undefined;
}

/** A `Request` (or any object with `url` and iterable `headers`) given to fetch as input. */
export interface FetchRequestLike {
  readonly url: string;
  readonly headers: Iterable<readonly [string, string]>;
}

/** Options of {@link withTraceHeaders}. */
export interface TraceHeadersOptions {
  /** The context to inject. @default context.active() */
  context?: Context;
  /**
   * The `Request` given to fetch as input, if any. When `init.headers` is absent its headers
   * are copied into the result: fetch lets `init.headers` replace a Request's headers.
   * @default undefined
   */
  request?: FetchRequestLike;
  /**
   * When another party (`@opentelemetry/instrumentation-undici`, an APM agent) adds its own
   * `traceparent` to the same undici request, remove tracelink's (two would break the trace).
   * Decided per request, when undici is about to send it; a subscriber of undici's diagnostics
   * channel that adds no `traceparent` changes nothing. `false` keeps tracelink's regardless.
   * @default true
   */
  deferToInstrumentation?: boolean;
}

/**
 * Returns a copy of `init` whose headers also carry the trace context (of `options.context`,
 * else the active one), for `fetch(url, withTraceHeaders(init))`. `init` is never mutated, so
 * one init object can be reused across requests without a stale `traceparent` sticking to it.
 * The headers keep their shape (record, pairs; a `Headers` or other iterable comes back as a
 * `Headers`). A header the caller set (any spelling) wins over the injected one. With a
 * `Request` as fetch's input, pass it as `options.request` (or use `tracedFetch`) so its
 * headers are kept. In lightweight mode each call gets a fresh span id as the parent-id; with a
 * tracing SDK and Node's fetch (undici), the request gets a CLIENT span of its own when undici
 * sends it (use one result per request). Never throws.
 *
 * @example
 * ```ts
 * const res = await fetch('https://api.example.com/users', withTraceHeaders({ method: 'GET' }));
 * ```
 */
export function withTraceHeaders<T extends object = FetchInitLike>(
  init?: T,
  options: TraceHeadersOptions = {},
): T & FetchInitLike {
  const own = (init ?? {}) as T & FetchInitLike;
  const { context: ctx, request, deferToInstrumentation = true } = options;
  try {
    let existing: unknown = own.headers;
    if (existing === undefined && request !== undefined) existing = request.headers;
    const outgoing = outgoingContext(ctx ?? context.active());
    const headers = mergeHeaders(
      existing,
      outgoing.context,
      expectingUndici(outgoing, deferToInstrumentation !== false),
    );
    return headers === undefined ? own : { ...own, headers };
  } catch (error) {
    reportProblem(
      'adding trace headers to a fetch',
      'sent the request without trace headers',
      error,
    );
    return own;
  }
}

// The result of merging, in the caller's shape; `undefined` when there is nothing to add.
function mergeHeaders(
  existing: unknown,
  ctx: Context,
  onAdded: OnAdded,
): FetchHeadersLike | undefined {
  if (existing === undefined || existing === null) {
    const added = traceHeadersFor(() => false, ctx);
    onAdded(added);
    return added.length === 0 ? undefined : Object.fromEntries(added);
  }
  if (Array.isArray(existing)) {
    const pairs = existing as (readonly [string, string])[];
    const added = traceHeadersFor(pairsHave(pairs), ctx);
    onAdded(added);
    return added.length === 0 ? undefined : [...pairs, ...added];
  }
  if (isIterable(existing)) {
    // A Headers (of any realm), a Map, or another iterable of pairs: copied into this realm's
    // Headers, which fetch accepts as it accepts any sequence of pairs.
    const copy = new Headers(Array.from(existing as Iterable<[string, string]>));
    const added = traceHeadersFor((name) => copy.has(name), ctx);
    onAdded(added);
    if (added.length === 0) return undefined;
    for (const [name, value] of added) copy.set(name, value);
    return copy;
  }
  if (typeof existing === 'object') {
    const record = existing as Record<string, string>;
    const added = traceHeadersFor(recordHas(record), ctx);
    onAdded(added);
    return added.length === 0 ? undefined : { ...record, ...Object.fromEntries(added) };
  }
  reportProblem('adding trace headers to a fetch', 'left headers of an unknown shape alone');
  return undefined;
}

function pairsHave(pairs: readonly (readonly unknown[])[]): (name: string) => boolean {
  const names = new Set(
    pairs.map((pair) => (Array.isArray(pair) ? String(pair[0]).toLowerCase() : '')),
  );
  return (name) => names.has(name);
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

/** Whether a fetch input is a `Request`-like object whose headers fetch would otherwise use. */
export function isRequestLike(input: unknown): input is FetchRequestLike {
  return (
    typeof input === 'object' &&
    input !== null &&
    typeof (input as { url?: unknown }).url === 'string' &&
    isIterable((input as { headers?: unknown }).headers)
  );
}

/** Any fetch-shaped function: Node's global `fetch`, undici's, node-fetch, a test double. */
export type FetchLike = (input: never, init?: never) => unknown;

/** Options of {@link createTracedFetch}. */
export interface TracedFetchOptions {
  /**
   * When another party (`@opentelemetry/instrumentation-undici`, an APM agent) adds its own
   * `traceparent` to the same undici request, remove tracelink's (two in one request would
   * break the trace). Decided per request; `false` keeps tracelink's regardless.
   * @default true
   */
  deferToInstrumentation?: boolean;
}

/**
 * Wraps a fetch function so every call carries the active trace context in its headers; the
 * wrapper has the wrapped function's type. With a tracing SDK and an undici-based fetch
 * (Node's), each request gets a CLIENT span (stable HTTP semantic conventions) whose id is the
 * downstream parent, ended when the response ends or the request fails — unless an
 * instrumentation made one already; in lightweight mode each request gets a fresh span id. Without an argument it calls `globalThis.fetch` as
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
