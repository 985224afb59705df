import { context, propagation } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';

/**
 * Context key of the request id that the incoming-HTTP middleware read from a legacy header
 * (`x-request-id`, …). The API's `createContextKey` is `Symbol.for(description)`, so the ESM
 * and CommonJS builds share the key.
 */
export const REQUEST_ID_KEY: symbol = Symbol.for('tracelink.request-id');

/**
 * The request id stored in `ctx` (the active context by default) by `traceRequests`,
 * `traceMiddleware` or `fastifyTracePlugin`, or `undefined` when there is none. Never throws.
 *
 * @example
 * ```ts
 * app.get('/users', (req, res) => {
 *   res.json({ requestId: readRequestId() });
 * });
 * ```
 */
export function readRequestId(ctx: Context = context.active()): string | undefined {
  try {
    const value = ctx.getValue(REQUEST_ID_KEY);
    return typeof value === 'string' ? value : undefined;
  } catch {
    // A hand-made Context whose getValue throws: treated as holding no request id.
    return undefined;
  }
}

/**
 * `ctx` with `requestId` stored as its request id.
 *
 * @example
 * ```ts
 * context.with(withRequestId(context.active(), 'abc-123'), handle);
 * ```
 */
export function withRequestId(ctx: Context, requestId: string): Context {
  return ctx.setValue(REQUEST_ID_KEY, requestId);
}

/**
 * Writes the allow-listed baggage entries of `ctx` onto `target`, keyed by the baggage key.
 * Returns how many were written. Entries absent from the baggage are skipped, and so are keys
 * `target` already has: baggage comes from the caller, and never replaces the line's fields.
 */
export function writeBaggageEntries(
  target: Record<string, unknown>,
  ctx: Context,
  keys: readonly string[],
): number {
  const baggage = propagation.getBaggage(ctx);
  if (baggage === undefined) return 0;
  let written = 0;
  for (const key of keys) {
    const entry = baggage.getEntry(key);
    if (entry !== undefined && !Object.prototype.hasOwnProperty.call(target, key)) {
      target[key] = entry.value;
      written++;
    }
  }
  return written;
}
