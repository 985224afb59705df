import { diag, trace } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { CompositePropagator } from '@opentelemetry/core';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { JaegerPropagator } from '@opentelemetry/propagator-jaeger';
import { isValid } from '../core/span-context.js';
import { BaggagePropagator } from './baggage-propagator.js';
import { markConforming } from './conforming-propagator.js';
import { TraceContextPropagator } from './trace-context-propagator.js';

/** The `OTEL_PROPAGATORS` values tracelink understands. */
export type PropagatorName =
  'tracecontext' | 'baggage' | 'b3' | 'b3multi' | 'xray' | 'jaeger' | 'none';

/** `OTEL_PROPAGATORS`' default (OpenTelemetry SDK environment variable specification). */
export const DEFAULT_PROPAGATORS: readonly PropagatorName[] = ['tracecontext', 'baggage'];

const KNOWN: ReadonlySet<string> = new Set<PropagatorName>([
  'tracecontext',
  'baggage',
  'b3',
  'b3multi',
  'xray',
  'jaeger',
  'none',
]);

/**
 * Reads propagator names from a list (an option, or `OTEL_PROPAGATORS` split on commas).
 * Names are trimmed and compared case-insensitively; repeats are dropped; unknown names are
 * skipped with a `diag` warning, as the SDK environment specification asks.
 *
 * @example
 * ```ts
 * readPropagatorNames('tracecontext, b3'.split(',')); // ['tracecontext', 'b3']
 * ```
 */
export function readPropagatorNames(values: readonly string[]): PropagatorName[] {
  const names: PropagatorName[] = [];
  for (const value of values) {
    const name = value.trim().toLowerCase();
    if (name === '') continue;
    if (!KNOWN.has(name)) {
      diag.warn(`tracelink: unknown propagator "${value.trim()}" skipped`);
      continue;
    }
    if (!names.includes(name as PropagatorName)) names.push(name as PropagatorName);
  }
  return names;
}

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

/**
 * Builds one propagator from names, in order (on extraction a later propagator's span context
 * wins, as in OpenTelemetry's `CompositePropagator`). `none` is not a propagator: leave it out.
 *
 * @example
 * ```ts
 * propagation.setGlobalPropagator(createPropagator(['tracecontext', 'baggage', 'b3']));
 * ```
 */
export function createPropagator(
  names: readonly Exclude<PropagatorName, 'none'>[],
): TextMapPropagator {
  return markConforming(new CompositePropagator({ propagators: names.map(createOne) }));
}

function createOne(name: Exclude<PropagatorName, 'none'>): TextMapPropagator {
  switch (name) {
    case 'tracecontext':
      return new TraceContextPropagator();
    case 'baggage':
      return new BaggagePropagator();
    // The W3C propagator above validates ids itself; these are guarded by validOnly.
    case 'b3':
      return validOnly(new B3Propagator({ injectEncoding: B3InjectEncoding.SINGLE_HEADER }));
    case 'b3multi':
      return validOnly(new B3Propagator({ injectEncoding: B3InjectEncoding.MULTI_HEADER }));
    case 'xray':
      return validOnly(new AWSXRayPropagator());
    case 'jaeger':
      return validOnly(new JaegerPropagator());
  }
}
