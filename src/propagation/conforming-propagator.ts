import { trace } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { TRACE_PARENT_HEADER, TRACE_STATE_HEADER } from '@opentelemetry/core';
import { markRandomTrace, RANDOM_TRACE_ID_FLAG } from './random-trace.js';
import {
  conformingSetter,
  oneTraceParent,
  parseTraceParent,
  parseTraceState,
} from './trace-context-propagator.js';

const CONFORMING = new WeakSet<TextMapPropagator>();

/**
 * Wraps a propagator someone else registered (OpenTelemetry's `W3CTraceContextPropagator`,
 * alone or in a `CompositePropagator`, as `NodeTracerProvider.register()` and the Node SDK
 * install it) so that the W3C Trace Context headers it reads and writes follow Trace Context
 * Level 2 as tracelink's own `tracecontext` propagator does:
 *
 * - extraction sees one `traceparent` or none (a repeated one is invalid, §3.2 and the test
 *   suite's `test_traceparent_duplicated`), trimmed of all optional whitespace, and a
 *   `tracestate` only when the whole header is valid (§3.3.1; ≤ 32 members, no invalid
 *   member, no repeated key); the span context it yields keeps the known flags only, carries
 *   the Level 2 `tracestate`, and a `random-trace-id` flag is remembered for the trace;
 * - injection writes the flags as two hex digits with `random-trace-id` kept for the whole
 *   trace, and never an empty `tracestate`.
 *
 * Every other header passes through untouched, so B3, Jaeger or baggage propagators inside the
 * wrapped one behave as before. Never throws more than the wrapped propagator does.
 *
 * @example
 * ```ts
 * propagation.setGlobalPropagator(conformingPropagator(new W3CTraceContextPropagator()));
 * ```
 */
export function conformingPropagator(inner: TextMapPropagator): TextMapPropagator {
  if (CONFORMING.has(inner)) return inner;
  const wrapped: TextMapPropagator = {
    inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
      inner.inject(context, carrier, conformingSetter(context, setter));
    },
    extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
      const traceParent = oneTraceParent(getter.get(carrier, TRACE_PARENT_HEADER));
      const rawState = getter.get(carrier, TRACE_STATE_HEADER);
      const traceState = parseTraceState(rawState);
      const extracted = inner.extract(context, carrier, {
        keys: (c) => getter.keys(c),
        get(c, key) {
          if (key === TRACE_PARENT_HEADER) return traceParent;
          if (key === TRACE_STATE_HEADER) return traceState === undefined ? undefined : rawState;
          return getter.get(c, key);
        },
      });
      const own = traceParent === undefined ? undefined : parseTraceParent(traceParent);
      const made = trace.getSpanContext(extracted);
      // Only a span context that came from this traceparent is corrected; one another
      // propagator in the composite extracted (B3, X-Ray, Jaeger) is left as it is.
      if (
        own === undefined ||
        made === undefined ||
        trace.getSpan(extracted) === trace.getSpan(context)
      ) {
        return extracted;
      }
      if (made.traceId !== own.traceId || made.spanId !== own.spanId) return extracted;
      if (traceState !== undefined) own.traceState = traceState;
      const corrected = trace.setSpanContext(extracted, own);
      return (own.traceFlags & RANDOM_TRACE_ID_FLAG) === 0
        ? corrected
        : markRandomTrace(corrected, own.traceId);
    },
    fields: () => inner.fields(),
  };
  CONFORMING.add(wrapped);
  return wrapped;
}

/**
 * Marks a propagator as already following the W3C rules, so {@link conformingPropagator}
 * leaves it as it is (tracelink's own, from `createPropagator`).
 *
 * @example
 * ```ts
 * return markConforming(new CompositePropagator({ propagators }));
 * ```
 */
export function markConforming(propagator: TextMapPropagator): TextMapPropagator {
  CONFORMING.add(propagator);
  return propagator;
}

/**
 * Whether `propagator` is tracelink's own or already wrapped by {@link conformingPropagator}.
 *
 * @example
 * ```ts
 * if (!isConforming(registered)) propagation.setGlobalPropagator(conformingPropagator(registered));
 * ```
 */
export function isConforming(propagator: TextMapPropagator): boolean {
  return CONFORMING.has(propagator);
}
