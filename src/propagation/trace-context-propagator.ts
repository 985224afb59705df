import { trace } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import {
  TRACE_PARENT_HEADER,
  TRACE_STATE_HEADER,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { KNOWN_TRACE_FLAGS, parseTraceParent } from './traceparent.js';
import { parseTraceState } from './w3c-trace-state.js';

/**
 * The W3C Trace Context propagator (`tracecontext`) of Trace Context Level 2. Injection is
 * OpenTelemetry's `W3CTraceContextPropagator` with the flags written as Level 2 asks.
 * Extraction is ours, because it runs on every incoming request: {@link parseTraceParent} (the
 * same accept/reject decisions as OpenTelemetry's parser, in one char-code pass) and the
 * Level 2 `tracestate` grammar ({@link parseTraceState}), plus the header rules noted below.
 *
 * @example
 * ```ts
 * propagation.setGlobalPropagator(new TraceContextPropagator());
 * ```
 */
export class TraceContextPropagator implements TextMapPropagator {
  readonly #w3c = new W3CTraceContextPropagator();

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this.#w3c.inject(context, carrier, {
      set: (target, key, value) =>
        setter.set(target, key, key === TRACE_PARENT_HEADER ? withKnownFlags(value) : value),
    });
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const traceParent = oneTraceParent(getter.get(carrier, TRACE_PARENT_HEADER));
    const spanContext = traceParent === undefined ? undefined : parseTraceParent(traceParent);
    if (spanContext === undefined) return context;
    // §3.3: "failure to parse tracestate MUST NOT affect the parsing of traceparent".
    const traceState = parseTraceState(getter.get(carrier, TRACE_STATE_HEADER));
    if (traceState !== undefined) spanContext.traceState = traceState;
    return trace.setSpanContext(context, spanContext);
  }

  fields(): string[] {
    return this.#w3c.fields();
  }
}

// OpenTelemetry reads the first of several `traceparent` values. It is not a list field, so
// several values cannot be combined (RFC 9110 §5.3) and the W3C test suite
// (`test_traceparent_duplicated`) expects the trace to restart: treated as absent here.
// OpenTelemetry also allows at most one whitespace character on each side; the test suite
// (`test_traceparent_ows_handling`) sends `\t 00-…-01 \t`, so all SP/HTAB OWS is trimmed.
function oneTraceParent(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) {
    if (value.length !== 1) return undefined;
    value = value[0];
  }
  return typeof value === 'string' ? trimOws(value) : undefined;
}

// A loop rather than /[ \t]+$/, which backtracks quadratically over long inner runs of spaces.
function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isOws(text.charCodeAt(start))) start++;
  while (end > start && isOws(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

// OpenTelemetry writes flags as `0` + hex, three characters from 0x10 up; written here as
// exactly two lower-case hex digits (§3.2.2.5, `trace-flags = 2HEXDIGLC`), unknown bits zeroed.
function withKnownFlags(traceParent: string): string {
  const dash = traceParent.lastIndexOf('-');
  const flags = Number.parseInt(traceParent.slice(dash + 1), 16) & KNOWN_TRACE_FLAGS;
  return `${traceParent.slice(0, dash)}-${flags.toString(16).padStart(2, '0')}`;
}
