import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator } from '@opentelemetry/core';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { JaegerPropagator } from '@opentelemetry/propagator-jaeger';
import { BaggagePropagator } from './baggage-propagator.js';
import type { PropagatorName } from './propagator-name.js';
import { TraceContextPropagator } from './trace-context-propagator.js';
import { validOnly } from './valid-only-propagator.js';

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
  return new CompositePropagator({ propagators: names.map(createOne) });
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
