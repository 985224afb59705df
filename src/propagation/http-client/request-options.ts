import type { Context } from '@opentelemetry/api';
import { withAddedTraceHeaders } from './request-headers.js';

/** The part of `http.request` options tracelink reads: a header record or a flat array. */
export interface RequestOptionsLike {
  headers?: Readonly<Record<string, unknown>> | readonly unknown[] | null | undefined;
}

/**
 * Returns a copy of `http.request`/`https.request` options whose `headers` also carry the
 * trace context of `ctx` (the active context by default). `options` is never mutated. A
 * header the caller set (any spelling) wins over the injected one. Never throws.
 *
 * @example
 * ```ts
 * const req = http.request(injectIntoRequestOptions({ host: 'api', path: '/users' }), onResponse);
 * ```
 */
export function injectIntoRequestOptions<T extends object>(options: T, ctx?: Context): T {
  return withAddedTraceHeaders(options, 'adding trace headers to a request', ctx);
}
