import { diag, trace } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { CompositePropagator } from '@opentelemetry/core';
import { B3InjectEncoding, B3Propagator } from '@opentelemetry/propagator-b3';
import { JaegerPropagator } from '@opentelemetry/propagator-jaeger';
import { isValid } from '../core/span-context.js';
import { InvalidOptionError } from '../core/invalid-option-error.js';
import { BaggagePropagator } from './baggage-propagator.js';
import { markConforming } from './conforming-propagator.js';
import { TraceContextPropagator } from './trace-context-propagator.js';
import { XRayPropagator } from './xray-propagator.js';

/**
 * The `OTEL_PROPAGATORS` values tracelink understands: the built-in names, and any name given
 * to {@link registerPropagator}.
 */
export type PropagatorName =
  | 'tracecontext'
  | 'baggage'
  | 'b3'
  | 'b3multi'
  | 'xray'
  | 'jaeger'
  | 'none'
  | (string & Record<never, never>);

/** Options of {@link createPropagator} (and of `setupPropagation`). */
export interface PropagatorOptions {
  /**
   * The sampled flag of an X-Ray header that carries no sampling decision: no `Sampled`
   * field (an AWS load balancer's `Root=…` alone) or `Sampled=?`. Sampled by default, as a
   * trace tracelink starts (`sampleNewTraces`): downstream parent-based samplers would
   * otherwise record none of the requests a load balancer sends.
   * @default true
   */
  xrayDefaultSampled?: boolean;
}

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
    if (!KNOWN.has(name) && !registered.has(name)) {
      diag.warn(`tracelink: unknown propagator "${value.trim()}" skipped`);
      continue;
    }
    if (!names.includes(name)) names.push(name);
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
  options: PropagatorOptions = {},
): TextMapPropagator {
  const xrayDefaultSampled = readXRayDefaultSampled(options);
  return markConforming(
    new CompositePropagator({
      propagators: names.map((name) => createOne(name, xrayDefaultSampled)),
    }),
  );
}

/**
 * Reads {@link PropagatorOptions} once, at creation.
 *
 * @throws {InvalidOptionError} when `xrayDefaultSampled` is not a boolean.
 */
export function readXRayDefaultSampled(options: PropagatorOptions): boolean {
  const value: unknown = options.xrayDefaultSampled;
  if (value === undefined) return true;
  if (typeof value === 'boolean') return value;
  throw new InvalidOptionError('xrayDefaultSampled', 'a boolean', value);
}

function createOne(
  name: Exclude<PropagatorName, 'none'>,
  xrayDefaultSampled: boolean,
): TextMapPropagator {
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
      return validOnly(new XRayPropagator(xrayDefaultSampled));
    case 'jaeger':
      return validOnly(new JaegerPropagator());
    default: {
      const propagator = registered.get(name.trim().toLowerCase());
      if (propagator !== undefined) return validOnly(propagator);
      throw new InvalidOptionError('propagators', 'built-in or registered propagator names', name);
    }
  }
}

const registered = new Map<string, TextMapPropagator>();

// A name `OTEL_PROPAGATORS` can hold: no comma, no whitespace, compared in lower case.
const NAME = /^[a-z0-9][a-z0-9_.:-]*$/;

/**
 * Makes a propagator available by name to `OTEL_PROPAGATORS`, `setupPropagation` and
 * {@link createPropagator} — for a legacy system's own headers (see
 * `customHeaderPropagator`) or any `TextMapPropagator`. Register before `setupPropagation`
 * runs. A name is lower case (letters, digits, `_ . : -`) and not a built-in one; registering
 * a name again replaces its propagator for propagators created afterwards. Extraction is
 * guarded as for the built-in propagators: an invalid span context never replaces the
 * context's span.
 *
 * @throws {InvalidOptionError} when the name is invalid or built in, or `propagator` is not a
 * `TextMapPropagator`.
 * @example
 * ```ts
 * registerPropagator('legacy', customHeaderPropagator({ traceIdHeader: 'x-trace-id', spanIdHeader: 'x-span-id' }));
 * setupPropagation(); // OTEL_PROPAGATORS=tracecontext,baggage,legacy
 * ```
 */
export function registerPropagator(name: string, propagator: TextMapPropagator): void {
  if (typeof name !== 'string' || !NAME.test(name) || KNOWN.has(name)) {
    throw new InvalidOptionError(
      'name',
      'a lower-case name (letters, digits, _ . : -) other than a built-in propagator name',
      name,
    );
  }
  const candidate = propagator as Partial<Record<keyof TextMapPropagator, unknown>> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.inject !== 'function' ||
    typeof candidate.extract !== 'function' ||
    typeof candidate.fields !== 'function'
  ) {
    throw new InvalidOptionError('propagator', 'a TextMapPropagator', propagator);
  }
  registered.set(name, propagator);
}
