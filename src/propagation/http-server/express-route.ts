import type { IncomingMessage } from 'node:http';

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
