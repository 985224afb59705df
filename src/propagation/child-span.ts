import { randomFillSync } from 'node:crypto';
import { ProxyTracerProvider, TraceFlags, trace } from '@opentelemetry/api';
import type { Context, Span, SpanContext, SpanOptions } from '@opentelemetry/api';
import { isValid, readAnySpanContext } from '../core/span-context.js';
import { reportProblem } from '../core/report-problem.js';
import { RANDOM_TRACE_ID_FLAG } from './random-trace.js';
import { xrayTimedTraceId } from './xray-trace-id.js';

// One randomFillSync per 4 KiB instead of one per id: the per-call cost of the syscall-backed
// CSPRNG dominated a request in lightweight mode. Ids stay unpredictable (W3C Trace Context
// §"Privacy": ids must not be guessable), unlike Math.random-based generators.
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

function take(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const start = offset;
  offset += bytes;
  return pool.toString('hex', start, start + bytes);
}

/** A fresh random 16-byte trace id as 32 lower-case hex digits; never all zeros. */
export function newTraceId(): string {
  const id = take(16);
  return id === '00000000000000000000000000000000' ? newTraceId() : id;
}

/** A fresh random 8-byte span id as 16 lower-case hex digits; never all zeros. */
export function newSpanId(): string {
  const id = take(8);
  return id === '0000000000000000' ? newSpanId() : id;
}

/** Name under which tracelink asks the global tracer provider for its tracer. */
export const TRACER_NAME = 'tracelink';

/** Options of {@link startChildSpan}. */
export interface ChildSpanOptions extends SpanOptions {
  /**
   * Sampled flag of a new trace started in lightweight mode (no tracing SDK). Sampled by
   * default: downstream services with a parent-based sampler would otherwise record nothing.
   * @default true
   */
  sampleNewTraces?: boolean;
}

/** A started span and the context that carries it. */
export interface ChildSpan {
  readonly span: Span;
  readonly context: Context;
  /** `false` in lightweight mode: the span is a bare span context that records nothing. */
  readonly fromSdk: boolean;
}

/**
 * Starts a span as a child of the span in `parent` (a new trace when there is none). With a
 * tracing SDK registered this is the SDK's span; without one (lightweight mode) it is a span
 * context with the parent's trace id, flags and tracestate and a fresh span id, so logs of the
 * unit of work carry the caller's trace and calls made from it continue the trace. Never throws.
 *
 * @example
 * ```ts
 * const { span, context: ctx } = startChildSpan(extracted, 'GET /users', { kind: SpanKind.SERVER });
 * context.with(ctx, handle);
 * span.end();
 * ```
 */
export function startChildSpan(
  parent: Context,
  name: string,
  options: ChildSpanOptions = {},
): ChildSpan {
  if (hasTracingSdk()) {
    try {
      const span = trace.getTracer(TRACER_NAME).startSpan(name, toSpanOptions(options), parent);
      if (isFromSdk(span.spanContext(), readAnySpanContext(parent))) {
        return { span, context: trace.setSpan(parent, span), fromSdk: true };
      }
    } catch (error) {
      reportProblem('starting a span', 'continued with a span context of its own', error);
    }
  }
  return startLightweightChild(parent, options.sampleNewTraces ?? true);
}

/**
 * The lightweight-mode half of {@link startChildSpan}, for a caller that has already found
 * {@link hasTracingSdk} false: a span context with the parent's trace id, flags and tracestate
 * and a fresh span id, or a new trace. Never throws.
 */
export function startLightweightChild(parent: Context, sampleNewTraces: boolean): ChildSpan {
  const span = trace.wrapSpanContext(childOf(readAnySpanContext(parent), sampleNewTraces));
  return { span, context: trace.setSpan(parent, span), fromSdk: false };
}

/**
 * Whether a tracer provider is registered behind the API. Without one, starting a span
 * through the API's proxy only yields a no-op span (and costs a tracer and a span object per
 * call, ~1 µs of a lightweight request): that case is decided here first. Never throws.
 */
export function hasTracingSdk(): boolean {
  try {
    const provider = trace.getTracerProvider();
    if (!(provider instanceof ProxyTracerProvider)) return true;
    return provider.getDelegateTracer(TRACER_NAME) !== undefined;
  } catch {
    return true; // let startSpan decide, and report if it throws
  }
}

// The API's no-op tracer hands back the parent's span context (or an invalid one without a
// parent); an SDK always makes a new span id, even for a span its sampler drops.
function isFromSdk(made: SpanContext, parent: SpanContext | undefined): boolean {
  if (!isValid(made)) return false;
  return parent === undefined || made.spanId !== parent.spanId;
}

function childOf(parent: SpanContext | undefined, sampleNewTraces: boolean): SpanContext {
  if (parent !== undefined && isValid(parent)) {
    return {
      traceId: parent.traceId,
      spanId: newSpanId(),
      traceFlags: parent.traceFlags,
      traceState: parent.traceState,
      isRemote: false,
    };
  }
  // The ids come from the CSPRNG pool above: the trace id is random, and Level 2 (§3.2.2.5.2)
  // has that said with the `random-trace-id` flag.
  return {
    traceId: xrayTimedTraceId(newTraceId()),
    spanId: newSpanId(),
    traceFlags: (sampleNewTraces ? TraceFlags.SAMPLED : TraceFlags.NONE) | RANDOM_TRACE_ID_FLAG,
    isRemote: false,
  };
}

/**
 * The context whose span an outgoing request carries as its parent in lightweight mode: a
 * child of the span in `ctx` with a fresh span id (W3C Trace Context §3.2.2.4: `parent-id` is
 * "the ID of this request as known by the caller", so two requests never share one), or `ctx`
 * itself when it has no valid span. Nothing is recorded. Never throws.
 *
 * @example
 * ```ts
 * propagation.inject(outgoingLightweightContext(context.active()), headers);
 * ```
 */
export function outgoingLightweightContext(ctx: Context): Context {
  const parent = readAnySpanContext(ctx);
  if (parent === undefined || !isValid(parent)) return ctx;
  return trace.setSpanContext(ctx, {
    traceId: parent.traceId,
    spanId: newSpanId(),
    traceFlags: parent.traceFlags,
    traceState: parent.traceState,
    isRemote: false,
  });
}

function toSpanOptions(options: ChildSpanOptions): SpanOptions {
  if (options.sampleNewTraces === undefined) return options;
  const spanOptions: ChildSpanOptions = { ...options };
  delete spanOptions.sampleNewTraces;
  return spanOptions;
}
