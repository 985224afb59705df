import { subscribe } from 'node:diagnostics_channel';
import type { Span } from '@opentelemetry/api';
import { reportProblem } from '../../core/report-problem.js';
import { clientSpanHeaders, endClientSpan, sayDecision, startClientSpan } from './client-span.js';
import type { OutgoingContext, OutgoingRequestInfo } from './client-span.js';

/** The part of `http.ClientRequest` read here. */
interface ClientRequestLike {
  readonly method?: unknown;
  readonly protocol?: unknown;
  readonly host?: unknown;
  readonly path?: unknown;
  readonly headersSent?: unknown;
  getHeader(name: string): unknown;
  setHeader(name: string, value: string): unknown;
  once(event: 'close', listener: () => void): unknown;
}

interface Tracked {
  readonly span: Span;
  statusCode?: number;
  error?: unknown;
  ended: boolean;
}

const tracked = new WeakMap<object, Tracked>();
let subscribed = false;

/**
 * After a `http.request`-style call made with tracelink's `traceparent` added to its options:
 * when the request went out with another `traceparent` (`@opentelemetry/instrumentation-http`
 * replaces it with its CLIENT span's), that party's span is the request's and nothing more is
 * done; with a tracing SDK, a CLIENT span is started (from before the call) and its id replaces
 * the provisional one, and the span ends when the response ends or the request fails.
 * Lightweight mode needs nothing more: the options already carry a fresh span id. Never throws.
 *
 * @example
 * ```ts
 * settleClientRequest(req, outgoing, traceparent, tracestate, startTime);
 * ```
 */
export function settleClientRequest(
  request: unknown,
  outgoing: OutgoingContext,
  traceparent: string,
  tracestate: string | undefined,
  startTime: number,
): void {
  try {
    if (!isClientRequest(request)) return;
    if (request.getHeader('traceparent') !== traceparent) {
      sayDecision(
        'http-deferred',
        'another party (an HTTP instrumentation) set its own traceparent on a node:http ' +
          'request; it is kept and tracelink made no CLIENT span',
      );
      return;
    }
    if (!outgoing.sdk || request.headersSent === true) return;
    const span = startClientSpan(outgoing.context, requestInfo(request), startTime);
    if (span === undefined) return;
    const written = clientSpanHeaders(outgoing.context, span);
    if (written.traceparent !== undefined) request.setHeader('traceparent', written.traceparent);
    if (written.tracestate !== undefined && tracestate !== undefined) {
      request.setHeader('tracestate', written.tracestate);
    }
    watch(request, span);
  } catch (error) {
    reportProblem('making the CLIENT span of a request', 'sent it with its parent span', error);
  }
}

function isClientRequest(value: unknown): value is ClientRequestLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ClientRequestLike).getHeader === 'function' &&
    typeof (value as ClientRequestLike).setHeader === 'function' &&
    typeof (value as ClientRequestLike).once === 'function'
  );
}

function requestInfo(request: ClientRequestLike): OutgoingRequestInfo {
  const scheme = request.protocol === 'https:' ? 'https' : 'http';
  const hostHeader = request.getHeader('host');
  const host = typeof request.host === 'string' ? request.host : 'localhost';
  let port: number | undefined = scheme === 'https' ? 443 : 80;
  if (typeof hostHeader === 'string') {
    // `host:port`, `[v6]:port`: Node writes the port only when it is not the default one.
    const colon = hostHeader.lastIndexOf(':');
    if (colon !== -1 && colon > hostHeader.lastIndexOf(']')) {
      const parsed = Number(hostHeader.slice(colon + 1));
      port = Number.isInteger(parsed) && parsed > 0 && parsed < 65536 ? parsed : undefined;
    }
  }
  return {
    method: typeof request.method === 'string' ? request.method : 'GET',
    scheme,
    host: host.startsWith('[') ? host.slice(1, -1) : host,
    port,
    target: typeof request.path === 'string' ? request.path : '/',
  };
}

// The response and the request's errors come through Node's diagnostics channels rather than
// listeners: a `response` listener would stop Node from discarding an unread body, and an
// `error` listener would swallow errors the application does not handle. `close` and the
// response's `end` listeners change nothing.
function watch(request: ClientRequestLike, span: Span): void {
  subscribeOnce();
  const state: Tracked = { span, ended: false };
  tracked.set(request, state);
  request.once('close', () => {
    // Closed without a response: failed or aborted (the error, if any, came first).
    if (state.statusCode === undefined) end(state, state.error ?? abortedError());
  });
}

function subscribeOnce(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe('http.client.response.finish', (message) => {
    try {
      const { request, response } = message as { request?: object; response?: ResponseLike };
      const state = request === undefined ? undefined : tracked.get(request);
      if (state === undefined || response === undefined) return;
      state.statusCode = typeof response.statusCode === 'number' ? response.statusCode : 0;
      response.once('end', () => end(state));
      response.once('close', () => {
        if (response.complete !== true) end(state, abortedError());
      });
    } catch (error) {
      reportProblem('reading an outgoing response', 'the CLIENT span may stay open', error);
    }
  });
  subscribe('http.client.request.error', (message) => {
    const { request, error } = message as { request?: object; error?: unknown };
    const state = request === undefined ? undefined : tracked.get(request);
    if (state !== undefined) state.error = error;
  });
}

interface ResponseLike {
  readonly statusCode?: unknown;
  readonly complete?: unknown;
  once(event: 'end' | 'close', listener: () => void): unknown;
}

function end(state: Tracked, error?: unknown): void {
  if (state.ended) return;
  state.ended = true;
  endClientSpan(state.span, { statusCode: state.statusCode, error });
}

function abortedError(): Error {
  const error = new Error('the request was closed before its response ended');
  error.name = 'aborted';
  return error;
}
