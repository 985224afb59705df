import { trace } from '@opentelemetry/api';
import { isValid } from '../context/read-span-context.js';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';

/**
 * Wraps a propagator so extraction never leaves an invalid span context in the context: the
 * Jaeger propagator, for one, turns `uber-trace-id: ":::"` into all-zero ids (found by the
 * fast-check property in test/propagation). An invalid result restores the span the context
 * had before; everything else the propagator extracted (baggage) is kept.
 *
 * @example
 * ```ts
 * const jaeger = validOnly(new JaegerPropagator());
 * ```
 */
export function validOnly(propagator: TextMapPropagator): TextMapPropagator {
  return {
    inject: (context: Context, carrier: unknown, setter: TextMapSetter) =>
      propagator.inject(context, carrier, setter),
    extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
      const extracted = propagator.extract(context, carrier, getter);
      const span = trace.getSpan(extracted);
      if (span === undefined || span === trace.getSpan(context)) return extracted;
      if (isValid(span.spanContext())) return extracted;
      const before = trace.getSpan(context);
      return before === undefined ? trace.deleteSpan(extracted) : trace.setSpan(extracted, before);
    },
    fields: () => propagator.fields(),
  };
}
