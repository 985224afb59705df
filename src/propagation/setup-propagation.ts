import { context, diag, propagation } from '@opentelemetry/api';
import type { TextMapPropagator } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InvalidOptionError } from '../core/invalid-option-error.js';
import { conformingPropagator, isConforming } from './conforming-propagator.js';
import { createPropagator } from './create-propagator.js';
import { DEFAULT_PROPAGATORS, readPropagatorNames } from './create-propagator.js';
import type { PropagatorName } from './create-propagator.js';
import { readXRayDefaultSampled } from './create-propagator.js';
import type { PropagatorOptions } from './create-propagator.js';

/** Options of {@link setupPropagation}. */
export interface PropagationSetupOptions extends PropagatorOptions {
  /** Propagator names; overrides `OTEL_PROPAGATORS`. @default `OTEL_PROPAGATORS`, else `['tracecontext', 'baggage']` */
  propagators?: readonly string[];
  /** Where `OTEL_PROPAGATORS` is read from. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * What {@link setupPropagation} did; `kept-existing` means another registration was left alone,
 * `wrapped-existing` that another propagator writing `traceparent` was kept but wrapped so the
 * W3C Trace Context headers follow the spec.
 */
export interface PropagationSetup {
  /**
   * `disabled` when the names resolved to `none` or to nothing known; `wrapped-existing` when
   * the application's propagator (OpenTelemetry's W3C one, say) stays, wrapped.
   */
  readonly propagator: 'installed' | 'kept-existing' | 'wrapped-existing' | 'disabled';
  readonly contextManager: 'installed' | 'kept-existing';
  /** The names in effect for this call (empty when disabled). */
  readonly propagators: readonly PropagatorName[];
}

/**
 * Sets the global propagator from `OTEL_PROPAGATORS` (or `options.propagators`) and registers the
 * AsyncLocalStorage context manager — each only if none is registered, so an OpenTelemetry SDK
 * the application already started is never replaced. A propagator already registered that
 * writes `traceparent` (OpenTelemetry's own W3C propagator, which `NodeTracerProvider.register()`
 * and the Node SDK install) is kept but wrapped, so duplicated `traceparent`s, oversized or
 * invalid `tracestate`s and the Level 2 flags are handled as with tracelink's own propagator
 * (`wrapped-existing`). Safe to call more than once; later calls report `kept-existing`.
 * Throws {@link InvalidOptionError} only for a malformed option.
 *
 * @example
 * ```ts
 * const { propagator } = setupPropagation({ propagators: ['tracecontext', 'baggage', 'b3'] });
 * ```
 */
export function setupPropagation(options: PropagationSetupOptions = {}): PropagationSetup {
  const names = resolveNames(options);
  const xrayDefaultSampled = readXRayDefaultSampled(options);
  const active = names.includes('none') ? [] : (names as Exclude<PropagatorName, 'none'>[]);
  if (names.includes('none') && names.length > 1) {
    diag.warn('tracelink: propagator "none" given with others; no propagator is installed');
  }
  return {
    propagator: active.length === 0 ? 'disabled' : installPropagator(active, xrayDefaultSampled),
    contextManager: installContextManager(),
    propagators: active,
  };
}

function resolveNames({
  propagators,
  env = process.env,
}: PropagationSetupOptions): PropagatorName[] {
  if (propagators !== undefined) {
    if (!Array.isArray(propagators) || !propagators.every((name) => typeof name === 'string')) {
      throw new InvalidOptionError('propagators', 'an array of propagator names', propagators);
    }
    return readPropagatorNames(propagators);
  }
  const fromEnv = env.OTEL_PROPAGATORS;
  if (fromEnv === undefined || fromEnv.trim() === '') return [...DEFAULT_PROPAGATORS];
  const names = readPropagatorNames(fromEnv.split(','));
  if (names.length !== 0) return names;
  // Only unknown names (`w3c`, a typo): a misspelt variable must not turn propagation off.
  diag.warn(`tracelink: OTEL_PROPAGATORS names no known propagator; using tracecontext,baggage`);
  return [...DEFAULT_PROPAGATORS];
}

// The API's set* functions refuse (returning false) when a global is already registered: that is
// the only public way to detect one, and refusing is what keeps the application's SDK in place.
function installPropagator(
  names: Exclude<PropagatorName, 'none'>[],
  xrayDefaultSampled: boolean,
): PropagationSetup['propagator'] {
  if (propagation.setGlobalPropagator(createPropagator(names, { xrayDefaultSampled }))) {
    return 'installed';
  }
  return wrapExisting();
}

// The registered propagator is only reachable through the API's `_getGlobalPropagator()`, a
// method every @opentelemetry/api 1.x has (the peer range) but does not declare public. Without
// it nothing can be wrapped, and that is said loudly: the deviations then stay.
function wrapExisting(): 'kept-existing' | 'wrapped-existing' {
  const api = propagation as unknown as { _getGlobalPropagator?: () => TextMapPropagator };
  let existing: TextMapPropagator | undefined;
  try {
    existing = api._getGlobalPropagator?.();
  } catch {
    existing = undefined;
  }
  if (existing === undefined) {
    diag.warn(
      'tracelink: a propagator is already registered and this @opentelemetry/api does not let ' +
        'tracelink reach it; if it is OpenTelemetry W3CTraceContextPropagator, a duplicated ' +
        'traceparent, an invalid or oversized tracestate and the Level 2 random-trace-id flag ' +
        'are not handled as W3C Trace Context asks. Call setupPropagation() before the SDK starts.',
    );
    return 'kept-existing';
  }
  if (isConforming(existing) || !safeFields(existing).includes('traceparent'))
    return 'kept-existing';
  propagation.disable();
  propagation.setGlobalPropagator(conformingPropagator(existing));
  diag.info(
    'tracelink: the registered propagator is kept, wrapped so that traceparent and tracestate ' +
      'follow W3C Trace Context Level 2',
  );
  return 'wrapped-existing';
}

function safeFields(propagator: TextMapPropagator): string[] {
  try {
    return propagator.fields();
  } catch {
    return [];
  }
}

function installContextManager(): 'installed' | 'kept-existing' {
  const manager = new AsyncLocalStorageContextManager().enable();
  if (context.setGlobalContextManager(manager)) return 'installed';
  manager.disable();
  return 'kept-existing';
}
