import { subscribe } from 'node:diagnostics_channel';
import type { Context, Span } from '@opentelemetry/api';
import { reportProblem } from '../../core/report-problem.js';
import { clientSpanHeaders, endClientSpan, sayDecision, startClientSpan } from './client-span.js';
import type { OutgoingContext } from './client-span.js';
import { addedValue } from './trace-headers.js';
import type { OnAdded } from './trace-headers.js';

// How tracelink's fetch wrapper, withTraceHeaders and the undici interceptor settle who writes
// `traceparent` and who makes the CLIENT span. They put their headers into the request as the
// caller's own; undici then announces the request on `undici:request:create`, where
// @opentelemetry/instrumentation-undici (or an APM agent) may add its own `traceparent`. Which
// subscriber runs first is not known, but all of them have run when undici calls the request's
// `onConnect`, just before it writes the headers (undici 6 and 7, HTTP/1.1). There, tracelink:
// - removes its `traceparent`/`tracestate` if another one was added (that party made a span);
// - else, with a tracing SDK, starts its CLIENT span and puts the span's id in its traceparent;
// - else leaves its headers (lightweight mode: a fresh span id per request already).
// The request is recognised by the traceparent value tracelink handed out for it.

/** One request tracelink added a traceparent to, waiting for undici to create it. */
export interface ExpectedRequest {
  /** The context whose span is the CLIENT span's parent. */
  readonly parent: Context;
  /** Start a CLIENT span (a tracing SDK is registered). */
  readonly sdk: boolean;
  /** Remove tracelink's headers when another party adds a traceparent. */
  readonly defer: boolean;
  /** The tracestate tracelink added with it, if any. */
  readonly traceState: string | undefined;
  readonly startTime: number;
}

// Provisional traceparent → requests expecting it. Two requests from one SDK span share the
// value (the span's own, until the CLIENT span replaces it). Bounded: a withTraceHeaders result
// never sent must not hold its context forever; the oldest go first.
const MAX_EXPECTED = 1024;
const expected = new Map<string, ExpectedRequest[]>();
let expectedCount = 0;
let subscribed = false;

/**
 * Notes that a request carrying `traceparent` (added by tracelink) is about to be sent through
 * undici, so that it is settled when undici creates it. Requests of other fetch
 * implementations never come; they leave after {@link MAX_EXPECTED} newer ones. Never throws.
 *
 * @example
 * ```ts
 * expectUndiciRequest(traceparent, { parent: ctx, sdk: true, defer: true, traceState: undefined, startTime: Date.now() });
 * ```
 */
export function expectUndiciRequest(traceparent: string, request: ExpectedRequest): void {
  subscribeOnce();
  const list = expected.get(traceparent);
  if (list === undefined) expected.set(traceparent, [request]);
  else list.push(request);
  if (++expectedCount > MAX_EXPECTED) dropOldest();
}

/**
 * The {@link OnAdded} callback of a request sent through undici (or a fetch that may be
 * undici's): when tracelink added a traceparent and there is something to settle (a CLIENT
 * span to make, or deferring to another party), the request is expected. Never throws.
 *
 * @example
 * ```ts
 * withAddedTraceHeaders(dispatchOptions, where, outgoing.context, expectingUndici(outgoing, true));
 * ```
 */
export function expectingUndici(outgoing: OutgoingContext, defer: boolean): OnAdded {
  return (added) => {
    if (!outgoing.sdk && !defer) return;
    const traceparent = addedValue(added, 'traceparent');
    if (traceparent === undefined) return;
    expectUndiciRequest(traceparent, {
      parent: outgoing.context,
      sdk: outgoing.sdk,
      defer,
      traceState: addedValue(added, 'tracestate'),
      startTime: Date.now(),
    });
  };
}

function dropOldest(): void {
  const [key, list] = expected.entries().next().value as [string, ExpectedRequest[]];
  list.shift();
  if (list.length === 0) expected.delete(key);
  expectedCount--;
}

function take(traceparent: string): ExpectedRequest | undefined {
  const list = expected.get(traceparent);
  const request = list?.shift();
  if (request === undefined) return undefined;
  if (list?.length === 0) expected.delete(traceparent);
  expectedCount--;
  return request;
}

/** The part of undici's `Request` (6 and 7) read and changed here. */
interface UndiciRequest {
  method?: unknown;
  origin?: unknown;
  path?: unknown;
  headers?: unknown;
  onConnect?: (...args: unknown[]) => unknown;
}

/** A request of tracelink's, from its creation until it ends. */
interface Tracked {
  readonly headers: unknown[];
  readonly ours: string;
  readonly entry: ExpectedRequest;
  settled: boolean;
  span?: Span;
  statusCode?: number;
}

const tracked = new WeakMap<object, Tracked>();

function subscribeOnce(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe('undici:request:create', (message) => guarded(message, onCreate));
  subscribe('undici:request:headers', (message) => guarded(message, onHeaders));
  subscribe('undici:request:trailers', (message) => guarded(message, onEnd));
  subscribe('undici:request:error', (message) => guarded(message, onEnd));
}

function guarded(message: unknown, handle: (message: Record<string, unknown>) => void): void {
  try {
    if (typeof message === 'object' && message !== null) {
      handle(message as Record<string, unknown>);
    }
  } catch (error) {
    reportProblem('settling an outgoing undici request', 'left its headers as they were', error);
  }
}

function onCreate({ request }: Record<string, unknown>): void {
  if (expectedCount === 0 || typeof request !== 'object' || request === null) return;
  const req = request as UndiciRequest;
  const headers = req.headers;
  if (!Array.isArray(headers)) return;
  let ours: string | undefined;
  let entry: ExpectedRequest | undefined;
  for (let i = 0; i + 1 < headers.length && entry === undefined; i += 2) {
    if (!isName(headers[i], 'traceparent')) continue;
    ours = String(headers[i + 1]);
    entry = take(ours);
  }
  if (entry === undefined || ours === undefined) return;
  const onConnect = req.onConnect;
  if (typeof onConnect !== 'function') return;
  const state: Tracked = { headers: headers as unknown[], ours, entry, settled: false };
  tracked.set(req, state);
  const own = Object.prototype.hasOwnProperty.call(req, 'onConnect');
  // An own property for this request only; undici calls it before writing the headers.
  req.onConnect = function (this: unknown, ...args: unknown[]): unknown {
    if (own) req.onConnect = onConnect;
    else delete req.onConnect;
    guarded({}, () => settle(req, state));
    return onConnect.apply(this, args);
  };
}

function settle(req: UndiciRequest, state: Tracked): void {
  if (state.settled) return;
  state.settled = true;
  const { headers, ours, entry } = state;
  const mine = indexOfValue(headers, 'traceparent', ours);
  if (mine === -1) return;
  const foreign = countNamed(headers, 'traceparent') > 1;
  if (foreign && entry.defer) {
    headers.splice(mine, 2);
    if (entry.traceState !== undefined) {
      const state = indexOfValue(headers, 'tracestate', entry.traceState);
      if (state !== -1) headers.splice(state, 2);
    }
    sayDecision(
      'undici-deferred',
      'another party (an instrumentation) added its own traceparent to an undici request; ' +
        'tracelink removed its own and made no CLIENT span',
    );
    return;
  }
  if (!entry.sdk) {
    sayDecision('undici-injected', 'tracelink injected its traceparent into an undici request');
    return;
  }
  const info = requestInfo(req);
  const span =
    info === undefined ? undefined : startClientSpan(entry.parent, info, entry.startTime);
  if (span === undefined) return;
  const written = clientSpanHeaders(entry.parent, span);
  if (written.traceparent !== undefined) headers[mine + 1] = written.traceparent;
  if (written.tracestate !== undefined && entry.traceState !== undefined) {
    const state = indexOfValue(headers, 'tracestate', entry.traceState);
    if (state !== -1) headers[state + 1] = written.tracestate;
  }
  state.span = span;
  sayDecision(
    'undici-span',
    'tracelink made a CLIENT span for an undici request and injected its traceparent',
  );
}

function onHeaders({ request, response }: Record<string, unknown>): void {
  if (typeof request !== 'object' || request === null) return;
  const state = tracked.get(request);
  const statusCode = (response as { statusCode?: unknown } | undefined)?.statusCode;
  if (state !== undefined && typeof statusCode === 'number') state.statusCode = statusCode;
}

function onEnd({ request, error }: Record<string, unknown>): void {
  if (typeof request !== 'object' || request === null) return;
  const state = tracked.get(request);
  if (state === undefined) return;
  tracked.delete(request);
  // A request that failed before undici connected (refused, aborted) gets its span now.
  settle(request, state);
  if (state.span !== undefined) {
    endClientSpan(state.span, { statusCode: state.statusCode, error });
  }
}

function requestInfo(req: UndiciRequest) {
  if (typeof req.origin !== 'string' && !(req.origin instanceof URL)) return undefined;
  const origin = new URL(String(req.origin));
  const scheme = origin.protocol === 'https:' ? 'https' : 'http';
  const host = origin.hostname.startsWith('[') ? origin.hostname.slice(1, -1) : origin.hostname;
  const port = origin.port === '' ? (scheme === 'https' ? 443 : 80) : Number(origin.port);
  const method = typeof req.method === 'string' ? req.method : 'GET';
  const target = typeof req.path === 'string' ? req.path : '/';
  return { method, scheme, host, port, target };
}

function isName(name: unknown, lower: string): boolean {
  return typeof name === 'string' && name.length === lower.length && name.toLowerCase() === lower;
}

function countNamed(headers: readonly unknown[], lower: string): number {
  let count = 0;
  for (let i = 0; i + 1 < headers.length; i += 2) if (isName(headers[i], lower)) count++;
  return count;
}

function indexOfValue(headers: readonly unknown[], lower: string, value: string): number {
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (isName(headers[i], lower) && headers[i + 1] === value) return i;
  }
  return -1;
}
