import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Attributes, Span, Context } from '@opentelemetry/api';
import { RPCType, getRPCMetadata } from '@opentelemetry/core';
import { reportProblem } from '../../core/report-problem.js';

/**
 * The `http.request.method` value of a request method: the method itself when it is one of
 * the known methods (semconv "HTTP Spans": RFC 9110 plus PATCH, compared case-sensitively),
 * else `_OTHER`, which keeps the attribute's cardinality bounded.
 *
 * @example
 * ```ts
 * normalizeMethod('GET'); // 'GET'
 * normalizeMethod('get'); // '_OTHER'
 * ```
 */
export function normalizeMethod(method: string | undefined): string {
  switch (method) {
    case 'GET':
    case 'POST':
    case 'PUT':
    case 'DELETE':
    case 'HEAD':
    case 'OPTIONS':
    case 'PATCH':
    case 'CONNECT':
    case 'TRACE':
      return method;
    default:
      return OTHER_METHOD;
  }
}

/** semconv `HTTP_REQUEST_METHOD_VALUE_OTHER`. */
export const OTHER_METHOD = '_OTHER';

/**
 * The method part of a server span name: the method, or `HTTP` for `_OTHER` (semconv "Name":
 * `{method} {target}`, with `HTTP` standing in for an unknown method).
 *
 * @example
 * ```ts
 * spanNameMethod('_OTHER'); // 'HTTP'
 * ```
 */
export function spanNameMethod(normalized: string): string {
  return normalized === OTHER_METHOD ? 'HTTP' : normalized;
}

// Attribute names are the stable HTTP semantic conventions (@opentelemetry/semantic-conventions
// ATTR_* constants), written as literals so that package stays a development dependency.

// semconv `url.query`: the values of these keys SHOULD be replaced by `REDACTED` (the list
// @opentelemetry/instrumentation-http also redacts).
const REDACTED_QUERY_KEYS = new Set([
  'AWSAccessKeyId',
  'Signature',
  'sig',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
]);

interface MaybeTlsSocket {
  readonly encrypted?: boolean;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
}

/**
 * The attributes of a SERVER span known when the request arrives, given to the sampler at
 * span creation as the conventions ask. Only computed when a tracing SDK is registered.
 *
 * @example
 * ```ts
 * tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: serverSpanAttributes(req, 'GET') });
 * ```
 */
export function serverSpanAttributes(req: IncomingMessage, method: string): Attributes {
  const headers = req.headers;
  const socket = req.socket as MaybeTlsSocket | null | undefined;
  const scheme = socket?.encrypted === true ? 'https' : 'http';
  const attributes: Attributes = {
    'http.request.method': method,
    'url.scheme': scheme,
    'network.protocol.version': req.httpVersion,
  };
  if (method === OTHER_METHOD) attributes['http.request.method_original'] = String(req.method);
  const target = typeof req.url === 'string' ? req.url : '';
  const query = target.indexOf('?');
  attributes['url.path'] = query === -1 ? target : target.slice(0, query);
  if (query !== -1) attributes['url.query'] = redactQuery(target.slice(query + 1));
  if (typeof headers.host === 'string') writeHost(attributes, headers.host, scheme);
  const peer = socket?.remoteAddress;
  if (peer !== undefined) {
    attributes['network.peer.address'] = peer;
    if (socket?.remotePort !== undefined) attributes['network.peer.port'] = socket.remotePort;
  }
  // semconv `client.address`: the original client from X-Forwarded-For when present, else
  // the peer.
  const client = firstForwardedFor(headers['x-forwarded-for']) ?? peer;
  if (client !== undefined) attributes['client.address'] = client;
  const userAgent = headers['user-agent'];
  if (typeof userAgent === 'string') attributes['user_agent.original'] = userAgent;
  return attributes;
}

function writeHost(attributes: Attributes, host: string, scheme: string): void {
  // `[::1]:8080` — the brackets delimit an IPv6 literal (RFC 9110 §7.2, RFC 3986 §3.2.2).
  const closing = host.startsWith('[') ? host.indexOf(']') : -1;
  const colon = host.indexOf(':', closing === -1 ? 0 : closing);
  const address =
    closing !== -1 ? host.slice(1, closing) : colon === -1 ? host : host.slice(0, colon);
  if (address === '') return;
  attributes['server.address'] = address;
  const port = colon === -1 ? (scheme === 'https' ? 443 : 80) : Number(host.slice(colon + 1));
  if (Number.isInteger(port) && port > 0 && port < 65536) attributes['server.port'] = port;
}

function firstForwardedFor(value: string | string[] | undefined): string | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (header === undefined) return undefined;
  const comma = header.indexOf(',');
  const first = (comma === -1 ? header : header.slice(0, comma)).trim();
  return first === '' ? undefined : first;
}

/**
 * A query string with the values of signature and access-key parameters replaced by
 * `REDACTED` (semconv `url.query`, `url.full`).
 *
 * @example
 * ```ts
 * redactQuery('a=1&sig=abc'); // 'a=1&sig=REDACTED'
 * ```
 */
export function redactQuery(query: string): string {
  if (query === '') return query;
  const pairs = query.split('&');
  let changed = false;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    const equals = pair.indexOf('=');
    if (equals !== -1 && REDACTED_QUERY_KEYS.has(pair.slice(0, equals))) {
      pairs[i] = `${pair.slice(0, equals)}=REDACTED`;
      changed = true;
    }
  }
  return changed ? pairs.join('&') : query;
}

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

/**
 * Hands the framework's route to an HTTP instrumentation's server span the way framework
 * instrumentations do: through the context's RPC metadata, whose `route`
 * `@opentelemetry/instrumentation-http` turns into `http.route` and the span name
 * (`GET /users/:id`) when the response closes. A route already set (by
 * `@opentelemetry/instrumentation-express`, say) is left alone. Never throws.
 *
 * @example
 * ```ts
 * shareRoute(context.active(), req, res, request.routeOptions.url, undefined);
 * ```
 */
export function shareRoute(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  route: string | undefined,
  readRoute: RouteReader | undefined,
): void {
  const metadata = getRPCMetadata(ctx);
  if (metadata?.type !== RPCType.HTTP || metadata.route !== undefined) return;
  if (route !== undefined) {
    metadata.route = route;
  } else if (readRoute !== undefined) {
    // Express knows the route only once it has routed. The instrumentation reads it in its own
    // `close` listener, added before this middleware ran: this one must run first.
    res.prependListener('close', () => {
      if (metadata.route === undefined) metadata.route = readRoute(req);
    });
  }
}
