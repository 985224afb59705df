import { context, diag, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InvalidOptionError } from '../core/invalid-option-error.js';
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

/** What {@link setupPropagation} did; `kept-existing` means another registration was left alone. */
export interface PropagationSetup {
  /** `disabled` when the names resolved to `none` or to nothing known. */
  readonly propagator: 'installed' | 'kept-existing' | 'disabled';
  readonly contextManager: 'installed' | 'kept-existing';
  /** The names in effect for this call (empty when disabled). */
  readonly propagators: readonly PropagatorName[];
}

/**
 * Sets the global propagator from `OTEL_PROPAGATORS` (or `options.propagators`) and registers the
 * AsyncLocalStorage context manager — each only if none is registered, so an OpenTelemetry SDK
 * the application already started is never replaced. Safe to call more than once; later calls
 * report `kept-existing`. Throws {@link InvalidOptionError} only for a malformed option.
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
): 'installed' | 'kept-existing' {
  const propagator = createPropagator(names, { xrayDefaultSampled });
  return propagation.setGlobalPropagator(propagator) ? 'installed' : 'kept-existing';
}

function installContextManager(): 'installed' | 'kept-existing' {
  const manager = new AsyncLocalStorageContextManager().enable();
  if (context.setGlobalContextManager(manager)) return 'installed';
  manager.disable();
  return 'kept-existing';
}
