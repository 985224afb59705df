import { trace } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import {
  TRACE_PARENT_HEADER,
  TRACE_STATE_HEADER,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';

// W3C Trace Context Level 2 §3.2.2.5: only `sampled` (0x01) and `random-trace-id` (0x02) are
// defined; "Vendors MUST set those [other flags] to zero."
const KNOWN_FLAGS = 0x03;
// §3.3.1.1 ABNF: `list = list-member 0*31( OWS "," OWS list-member )`.
const MAX_TRACESTATE_MEMBERS = 32;

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
        const value = getter.get(source, key);
        if (key === TRACE_PARENT_HEADER) return oneTraceParent(value);
        if (key === TRACE_STATE_HEADER) return combinedTraceState(value);
        return value;
      },
    });
    if (extracted === context) return context;
    const spanContext = trace.getSpanContext(extracted);
    if (spanContext === undefined || (spanContext.traceFlags & ~KNOWN_FLAGS) === 0) {
      return extracted;
    }
    // §3.2.2.5 again: unknown flags are zeroed, so they are not propagated further.
    return trace.setSpanContext(extracted, {
      ...spanContext,
      traceFlags: spanContext.traceFlags & KNOWN_FLAGS,
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

// OpenTelemetry keeps the first 32 members of a longer list. More than 32 is not a valid list
// (§3.3.1.1 ABNF), and Level 2's test suite (`test_tracestate_member_count_limit`) expects such a
// tracestate discarded; that never affects the traceparent (§3.3: "failure to parse tracestate
// MUST NOT affect the parsing of traceparent"). Empty members are allowed and not counted.
function combinedTraceState(value: string | string[] | undefined): string | undefined {
  const combined = Array.isArray(value) ? value.join(',') : value;
  if (typeof combined !== 'string') return undefined;
  let members = 0;
  for (const member of combined.split(',')) {
    if (member.trim() !== '' && ++members > MAX_TRACESTATE_MEMBERS) return undefined;
  }
  return combined;
}

// OpenTelemetry writes flags as `0` + hex, three characters from 0x10 up; written here as
// exactly two lower-case hex digits (§3.2.2.5, `trace-flags = 2HEXDIGLC`), unknown bits zeroed.
function withKnownFlags(traceParent: string): string {
  const dash = traceParent.lastIndexOf('-');
  const flags = Number.parseInt(traceParent.slice(dash + 1), 16) & KNOWN_FLAGS;
  return `${traceParent.slice(0, dash)}-${flags.toString(16).padStart(2, '0')}`;
}
