import type { Context } from '@opentelemetry/api';
import { TraceFlags } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { isValid, readAnySpanContext } from '../core/span-context.js';

/**
 * The trace id of the span in `ctx`, or `undefined` without one. Not validated: a trace
 * buffer only looks the id up among the requests tracelink began, whose ids are valid. Never
 * throws.
 *
 * @example
 * ```ts
 * const traceId = traceIdOf(context.active());
 * ```
 */
export function traceIdOf(ctx: Context): string | undefined {
  return readAnySpanContext(ctx)?.traceId;
}

/**
 * Whether the span in a context belongs to a trace whose sampled flag is off (W3C Trace
 * Context `trace-flags`, the flag every service of the trace reads the same way). A context
 * without a valid span is not unsampled. The answer for the last span context is kept: lines
 * come in runs from one span.
 *
 * @example
 * ```ts
 * const unsampled = new UnsampledCheck();
 * if (unsampled.of(context.active())) return; // drop
 * ```
 */
export class UnsampledCheck {
  private last: SpanContext | undefined;
  private lastUnsampled = false;

  /** Never throws. */
  of(ctx: Context): boolean {
    const spanContext = readAnySpanContext(ctx);
    if (spanContext === undefined) return false;
    if (spanContext === this.last) return this.lastUnsampled;
    let unsampled: boolean;
    try {
      unsampled = isValid(spanContext) && (spanContext.traceFlags & TraceFlags.SAMPLED) === 0;
    } catch {
      unsampled = false; // a getter that throws: keep the line
    }
    this.last = spanContext;
    this.lastUnsampled = unsampled;
    return unsampled;
  }
}
