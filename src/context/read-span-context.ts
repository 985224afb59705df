import { context, trace } from '@opentelemetry/api';
import type { Context, SpanContext } from '@opentelemetry/api';
import { reportProblem } from '../report-problem.js';
import { isValidHexId } from './valid-ids.js';

/**
 * The span context of the span in `ctx`, valid or not, or `undefined` when there is no span.
 * For the hot paths, which cache per span context and validate once per span. Never throws.
 */
export function readAnySpanContext(ctx: Context): SpanContext | undefined {
  try {
    return trace.getSpan(ctx)?.spanContext();
  } catch (error) {
    // A hand-written Span whose spanContext() throws must not break the log call.
    reportProblem('reading the active span', 'no trace fields are written', error);
    return undefined;
  }
}

/**
 * Returns the span context of the span in `ctx` (the active context by default) when it is
 * valid, else `undefined`. A remote parent extracted from headers counts: recording or not
 * does not matter. All-zero or malformed ids never count. Never throws.
 *
 * @example
 * ```ts
 * const sc = readSpanContext();
 * if (sc) console.log(sc.traceId);
 * ```
 */
export function readSpanContext(ctx: Context = context.active()): SpanContext | undefined {
  const spanContext = readAnySpanContext(ctx);
  return spanContext !== undefined && isValid(spanContext) ? spanContext : undefined;
}

/**
 * Whether a span context has valid ids (the API's `isSpanContextValid`, in one char-code
 * pass); a malformed object is simply invalid. Never throws.
 */
export function isValid(spanContext: SpanContext): boolean {
  try {
    return isValidHexId(spanContext.traceId, 32) && isValidHexId(spanContext.spanId, 16);
  } catch {
    return false; // a getter that throws
  }
}
