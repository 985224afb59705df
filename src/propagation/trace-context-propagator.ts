import { trace } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import {
  TRACE_PARENT_HEADER,
  TRACE_STATE_HEADER,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { parseTraceState } from './w3c-trace-state.js';

// W3C Trace Context Level 2 §3.2.2.5: only `sampled` (0x01) and `random-trace-id` (0x02) are
// defined; "Vendors MUST set those [other flags] to zero."
const KNOWN_FLAGS = 0x03;

/**
 * The W3C Trace Context propagator (`tracecontext`): OpenTelemetry's `W3CTraceContextPropagator`
 * with the places where it departs from Trace Context Level 2 corrected around it (each noted
 * below). Parsing stays OpenTelemetry's.
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
    const extracted = this.#w3c.extract(context, carrier, {
      keys: (source) => getter.keys(source),
      get: (source, key) => {
        if (key === TRACE_PARENT_HEADER) return oneTraceParent(getter.get(source, key));
        // Parsed below with the Level 2 grammar, not by OpenTelemetry's Level 1 parser.
        if (key === TRACE_STATE_HEADER) return undefined;
        return getter.get(source, key);
      },
    });
    if (extracted === context) return context;
    const spanContext = trace.getSpanContext(extracted);
    if (spanContext === undefined) return extracted;
    // §3.3: "failure to parse tracestate MUST NOT affect the parsing of traceparent".
    const traceState = parseTraceState(getter.get(carrier, TRACE_STATE_HEADER));
    // §3.2.2.5 again: unknown flags are zeroed, so they are not propagated further.
    const traceFlags = spanContext.traceFlags & KNOWN_FLAGS;
    if (traceState === undefined && traceFlags === spanContext.traceFlags) return extracted;
    return trace.setSpanContext(extracted, {
      ...spanContext,
      traceFlags,
      ...(traceState === undefined ? {} : { traceState }),
    });
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
  const flags = Number.parseInt(traceParent.slice(dash + 1), 16) & KNOWN_FLAGS;
  return `${traceParent.slice(0, dash)}-${flags.toString(16).padStart(2, '0')}`;
}
