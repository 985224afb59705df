import { RPCType, getRPCMetadata } from '@opentelemetry/core';
import type { Context } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteReader } from './server-span.js';

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
