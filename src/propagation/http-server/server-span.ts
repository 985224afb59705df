import { SpanStatusCode } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { reportProblem } from '../../report-problem.js';

/** Reads the route template a framework matched (`/users/:id`), once the response is done. */
export type RouteReader = (req: IncomingMessage) => string | undefined;

/** What ending a request's SDK span needs; kept on the response, one object per request. */
interface ServerSpanState {
  readonly span: Span;
  readonly req: IncomingMessage;
  /** `GET`…, or `HTTP` for an unknown method: the first word of the span name. */
  readonly nameMethod: string;
  route: string | undefined;
  readonly readRoute: RouteReader | undefined;
  /** Name of an error the handler raised: the span's `error.type` if the request failed. */
  errorName: string | undefined;
  /** The handler threw: failed whatever the status. */
  failed: boolean;
  ended: boolean;
}

interface ResponseWithState {
  [SERVER_SPAN]?: ServerSpanState;
}

const SERVER_SPAN = Symbol('tracelink.server-span');

/**
 * Ends `span` when `res` closes — after the response is finished, or when the connection drops
 * first (`close` is emitted in both cases since Node 14). The listener is one shared function
 * and the state sits on the response, so no closure is made per request.
 *
 * @example
 * ```ts
 * watchServerSpan(res, span, req, 'GET', undefined, readExpressRoute);
 * ```
 */
export function watchServerSpan(
  res: ServerResponse,
  span: Span,
  req: IncomingMessage,
  nameMethod: string,
  route: string | undefined,
  readRoute: RouteReader | undefined,
): void {
  const state: ServerSpanState = {
    span,
    req,
    nameMethod,
    route,
    readRoute,
    errorName: undefined,
    failed: false,
    ended: false,
  };
  (res as ResponseWithState)[SERVER_SPAN] = state;
  res.on('close', onResponseClose);
}

/**
 * Records an error of the request's handler on its SDK span (a no-op in lightweight mode or
 * once the span has ended). Whether the request failed is decided when the response is done:
 * with a 5xx status the error's name becomes `error.type`; a 4xx is the client's error and
 * leaves the span status unset. Never throws.
 *
 * @example
 * ```ts
 * fastify.addHook('onError', (request, reply, error, done) => {
 *   recordServerSpanError(reply.raw, error);
 *   done();
 * });
 * ```
 */
export function recordServerSpanError(res: ServerResponse, error: unknown): void {
  const state = (res as ResponseWithState)[SERVER_SPAN];
  if (state === undefined || state.ended) return;
  try {
    state.span.recordException(error instanceof Error ? error : String(error));
    state.errorName = error instanceof Error ? error.name : '_OTHER';
  } catch (problem) {
    reportProblem('recording a handler error on the server span', 'left it out', problem);
  }
}

/**
 * Records an exception thrown by the request's handler on its SDK span and ends the span
 * now, with status ERROR: the process may not survive the error to see the response close.
 * Never throws.
 *
 * @example
 * ```ts
 * try { listener(req, res); } catch (error) { failServerSpan(res, error); throw error; }
 * ```
 */
export function failServerSpan(res: ServerResponse, error: unknown): void {
  const state = (res as ResponseWithState)[SERVER_SPAN];
  if (state === undefined || state.ended) return;
  recordServerSpanError(res, error);
  state.failed = true;
  endServerSpan(state, res);
}

/**
 * Whether the request has an SDK span that is still open.
 *
 * @example
 * ```ts
 * if (hasOpenServerSpan(res)) promise.then(undefined, (error) => failServerSpan(res, error));
 * ```
 */
export function hasOpenServerSpan(res: ServerResponse): boolean {
  const state = (res as ResponseWithState)[SERVER_SPAN];
  return state !== undefined && !state.ended;
}

/**
 * Ends the request's SDK span, if it has one and it is still open. Idempotent.
 *
 * @example
 * ```ts
 * fastify.addHook('onResponse', (request, reply, done) => (endServerSpanOf(reply.raw), done()));
 * ```
 */
export function endServerSpanOf(res: ServerResponse): void {
  const state = (res as ResponseWithState)[SERVER_SPAN];
  if (state !== undefined) endServerSpan(state, res);
}

function onResponseClose(this: ServerResponse): void {
  endServerSpanOf(this);
}

function endServerSpan(state: ServerSpanState, res: ServerResponse): void {
  if (state.ended) return;
  state.ended = true;
  const { span } = state;
  try {
    const route = state.route ?? state.readRoute?.(state.req);
    if (route !== undefined && route !== '') {
      span.setAttribute('http.route', route);
      span.updateName(`${state.nameMethod} ${route}`);
    }
    const status = res.headersSent ? res.statusCode : undefined;
    if (status !== undefined) span.setAttribute('http.response.status_code', status);
    // semconv: a SERVER span is an error for 5xx, not 4xx (the client's fault); and a response
    // cut off before it finished has failed whatever its status line said.
    const finished = res.writableFinished;
    if (state.failed || !finished || (status !== undefined && status >= 500)) {
      const fallback = finished ? String(status ?? 500) : 'aborted';
      span.setAttribute('error.type', state.errorName ?? fallback);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  } catch (error) {
    reportProblem('completing the server span', 'ended it without its response attributes', error);
  }
  try {
    span.end();
  } catch (error) {
    reportProblem('ending the server span', 'left it to the SDK', error);
  }
}
