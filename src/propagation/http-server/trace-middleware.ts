import type { IncomingMessage, ServerResponse } from 'node:http';
import { context } from '@opentelemetry/api';
import type { HttpServerTracingOptions } from './options.js';
import { RequestTracer } from './request-tracer.js';

/** The parts of an Express / router request that name the matched route. */
interface RoutedRequest {
  readonly route?: { readonly path?: unknown } | null;
  readonly baseUrl?: unknown;
}

/**
 * The route template Express (or any `router`-based framework) matched, as semconv
 * `http.route` wants it: the mount path (`req.baseUrl`) and the route's path joined —
 * `/api` + `/users/:id`. `undefined` when no route matched (a 404) or the path is a RegExp
 * or an array, which have no single template. Read when the response is done, by then the
 * router has set both. Never throws.
 *
 * @example
 * ```ts
 * readExpressRoute(req); // '/api/users/:id'
 * ```
 */
export function readExpressRoute(req: IncomingMessage): string | undefined {
  const { route, baseUrl } = req as RoutedRequest;
  const path = route?.path;
  if (typeof path !== 'string') return undefined;
  const base = typeof baseUrl === 'string' ? baseUrl : '';
  if (base === '') return path;
  // `router.get('/')` under `app.use('/api', router)` serves `/api`, not `/api/`.
  return path === '/' ? base : `${base}${path}`;
}

/** The `next` callback of Express and Connect middleware. */
export type NextFunction = (error?: unknown) => void;

/** An Express 4/5 or Connect middleware, typed with `node:http` objects only. */
export type TraceMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: NextFunction,
) => void;

/**
 * Express / Connect middleware that runs the rest of the request inside its trace context —
 * see {@link traceRequests} for what that context holds. Mount it first, so every later
 * middleware and route handler (and the code after their `await`s) sees it. When the
 * response is done the matched route (`req.baseUrl` + `req.route.path`) becomes the span's
 * `http.route` and its name: `GET /users/:id`.
 *
 * @throws {InvalidOptionError} when an option is invalid.
 * @example
 * ```ts
 * import express from 'express';
 * import { traceMiddleware } from 'tracelink/propagation';
 *
 * const app = express();
 * app.use(traceMiddleware({ traceResponse: true }));
 * app.get('/users/:id', (req, res) => {
 *   logger.info('lookup'); // carries the caller's trace_id
 *   res.json({});
 * });
 * ```
 */
export function traceMiddleware(options?: HttpServerTracingOptions): TraceMiddleware {
  const tracer = new RequestTracer(options);
  return function traceRequest(req, res, next) {
    // Express calls the next middleware synchronously from `next()`, and AsyncLocalStorage
    // carries the context from there into every callback and `await` of the request.
    context.with(tracer.startRequest(req, res, undefined, readExpressRoute), next);
  };
}
