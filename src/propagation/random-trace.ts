import { createContextKey } from '@opentelemetry/api';
import type { Context, SpanContext } from '@opentelemetry/api';

// W3C Trace Context Level 2 §3.2.2.5: only `sampled` (0x01) and `random-trace-id` (0x02) are
// defined; "Vendors MUST set those [other flags] to zero."
export const KNOWN_TRACE_FLAGS = 0x03;

/** The Level 2 `random-trace-id` flag (§3.2.2.5.2). */
export const RANDOM_TRACE_ID_FLAG = 0x02;

// The API's TraceFlags (and so every SDK span) knows only `sampled`: an SDK child of a parent
// with flags 03 gets 01. The trace id whose randomness is known travels in the context
// instead, set where the trace is extracted or started, and read where a traceparent is
// written: every context of the request descends from the one extraction returned.
const RANDOM_TRACE_ID = createContextKey('tracelink random trace id');

/**
 * `ctx` noting that the trace `traceId` has a random trace id (its `traceparent` had the
 * `random-trace-id` flag, or tracelink made the id). Never throws.
 *
 * @example
 * ```ts
 * const ctx = markRandomTrace(trace.setSpanContext(ROOT_CONTEXT, remote), remote.traceId);
 * ```
 */
export function markRandomTrace(ctx: Context, traceId: string): Context {
  return ctx.getValue(RANDOM_TRACE_ID) === traceId ? ctx : ctx.setValue(RANDOM_TRACE_ID, traceId);
}

/**
 * The flags to write into a `traceparent` for `spanContext` in `ctx`: its known flags, plus
 * `random-trace-id` when the context notes the trace as random (Level 2 §3.2.2.5.2: "every
 * traceparent with that trace-id" keeps the flag, including those of an SDK's spans).
 *
 * @example
 * ```ts
 * outgoingTraceFlags(ctx, span.spanContext()); // 3 for an SDK span of a random trace
 * ```
 */
export function outgoingTraceFlags(ctx: Context, spanContext: SpanContext): number {
  const flags = spanContext.traceFlags & KNOWN_TRACE_FLAGS;
  return ctx.getValue(RANDOM_TRACE_ID) === spanContext.traceId
    ? flags | RANDOM_TRACE_ID_FLAG
    : flags;
}
