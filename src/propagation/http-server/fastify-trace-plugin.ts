import { context } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpServerTracingOptions } from './options.js';
import { RequestTracer } from './request-tracer.js';
import { endServerSpanOf, recordServerSpanError } from './server-span.js';

/** The parts of a Fastify request the plugin reads. */
export interface FastifyLikeRequest {
  readonly raw: IncomingMessage;
  /** Fastify ≥ 4.10: `url` is the route template, `undefined` for a 404. */
  readonly routeOptions?: { readonly url?: string | undefined };
}

/** The parts of a Fastify reply the plugin reads. */
export interface FastifyLikeReply {
  readonly raw: ServerResponse;
}

/** A Fastify hook's `done` callback. */
export type FastifyHookDone = (error?: Error) => void;

/** A Fastify request hook (`onRequest`, `preValidation`, `onResponse`). */
export type FastifyLikeHook = (
  request: FastifyLikeRequest,
  reply: FastifyLikeReply,
  done: FastifyHookDone,
) => void;

/** A Fastify `onError` hook. */
export type FastifyLikeErrorHook = (
  request: FastifyLikeRequest,
  reply: FastifyLikeReply,
  error: Error,
  done: () => void,
) => void;

/** The part of a Fastify instance the plugin uses. */
export interface FastifyLikeInstance {
  addHook(name: 'onRequest', hook: FastifyLikeHook): unknown;
  addHook(name: 'preValidation', hook: FastifyLikeHook): unknown;
  addHook(name: 'onResponse', hook: FastifyLikeHook): unknown;
  addHook(name: 'onError', hook: FastifyLikeErrorHook): unknown;
}

const REQUEST_CONTEXT = Symbol('tracelink.request-context');

interface RequestWithContext {
  [REQUEST_CONTEXT]?: Context;
}

/**
 * A Fastify 4/5 plugin that runs each request inside its trace context — see
 * {@link traceRequests} for what that context holds. It applies to the whole application
 * (it is marked `skip-override`, as `fastify-plugin` would), so register it first. The route
 * template (`request.routeOptions.url`) is the span's `http.route` from the start: `GET
 * /users/:id`. The context is entered in `onRequest` and again in `preValidation`, because
 * a request body is read from socket events that run outside it. Options are validated at
 * registration: an invalid one fails `app.ready()` with `InvalidOptionError`.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { fastifyTracePlugin } from 'tracelink/propagation';
 *
 * const app = Fastify();
 * await app.register(fastifyTracePlugin, { traceResponse: true });
 * app.get('/users/:id', async () => {
 *   logger.info('lookup'); // carries the caller's trace_id
 *   return {};
 * });
 * ```
 */
export function fastifyTracePlugin(
  instance: FastifyLikeInstance,
  options: HttpServerTracingOptions,
  done: (error?: Error) => void,
): void {
  let tracer: RequestTracer;
  try {
    tracer = new RequestTracer(pickOptions(options));
  } catch (error) {
    done(error as Error);
    return;
  }
  instance.addHook('onRequest', (request, reply, next) => {
    const ctx = tracer.startRequest(request.raw, reply.raw, request.routeOptions?.url);
    (request as RequestWithContext)[REQUEST_CONTEXT] = ctx;
    context.with(ctx, next);
  });
  instance.addHook('preValidation', enterRequestContext);
  instance.addHook('onError', recordError);
  instance.addHook('onResponse', endSpan);
  done();
}

// Fastify hands a plugin its registration options with its own keys (`prefix`, …) mixed in.
function pickOptions(options: HttpServerTracingOptions | undefined): HttpServerTracingOptions {
  if (typeof options !== 'object' || options === null) return {};
  const { traceResponse, requestIdHeaders, sampleNewTraces, logFieldHeaders } = options;
  return { traceResponse, requestIdHeaders, sampleNewTraces, logFieldHeaders };
}

function enterRequestContext(
  request: FastifyLikeRequest,
  _reply: FastifyLikeReply,
  next: FastifyHookDone,
): void {
  const ctx = (request as RequestWithContext)[REQUEST_CONTEXT];
  if (ctx === undefined) next();
  else context.with(ctx, next);
}

function recordError(
  _request: FastifyLikeRequest,
  reply: FastifyLikeReply,
  error: Error,
  next: () => void,
): void {
  // Fastify runs onError before its error handler sets the status: whether the request failed
  // (a 5xx) is decided when the span ends.
  recordServerSpanError(reply.raw, error);
  next();
}

function endSpan(
  _request: FastifyLikeRequest,
  reply: FastifyLikeReply,
  next: FastifyHookDone,
): void {
  endServerSpanOf(reply.raw);
  next();
}

// fastify-plugin's markers, without depending on it: `skip-override` makes the hooks apply to
// the whole application instead of an encapsulated child context.
Object.defineProperty(fastifyTracePlugin, Symbol.for('skip-override'), { value: true });
Object.defineProperty(fastifyTracePlugin, Symbol.for('fastify.display-name'), {
  value: 'tracelink',
});
