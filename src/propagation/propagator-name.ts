import { diag } from '@opentelemetry/api';

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
