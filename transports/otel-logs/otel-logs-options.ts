import type { SeverityNumber } from '@opentelemetry/api-logs';
import { InvalidOptionError } from '../../src/core/invalid-option-error.js';
import type { TraceFieldOptions } from '../../src/fields/field-profile.js';
import { isRecord, resolveCommonMapping, resolveInteger } from '../mapping/mapping-options.js';
import { resolveTraceFieldMatcher } from '../mapping/trace-fields.js';

/**
 * Options of the in-process mode — `WinstonOtelLogsTransport` and `pinoOtelLogsDestination`:
 * how records are mapped, and how many are held while no `LoggerProvider` is registered.
 *
 * @example
 * ```ts
 * const options: OtelLogsOptions = { maxHeldRecords: 500, severityOverrides: { audit: 12 } };
 * ```
 */
export interface OtelLogsOptions {
  /** Severity for level names, over the default placement. @default {} */
  readonly severityOverrides?: Readonly<Record<string, SeverityNumber>>;
  /** Nested objects as dotted attribute keys (`a.b.c`) instead of maps. @default false */
  readonly flattenAttributes?: boolean;
  /**
   * The trace fields the application writes (`pinoMixin`'s or `traceFormat`'s `fields`): they
   * become the record's trace context and leave the attributes. @default 'otel'
   */
  readonly fields?: TraceFieldOptions['fields'];
  /**
   * Records held, in order, while no `LoggerProvider` is registered (before `sdk.start()`), and
   * emitted once one is; past this, the newest are dropped, counted as `hold-full`. 0 holds
   * none. @default 1000
   */
  readonly maxHeldRecords?: number;
}

/** {@link OtelLogsOptions}, validated once, with the defaults filled in. */
export interface ResolvedOtelLogsOptions {
  readonly severityOverrides: OtelLogsOptions['severityOverrides'];
  readonly flattenAttributes: boolean | undefined;
  readonly fields: OtelLogsOptions['fields'];
  readonly maxHeldRecords: number;
}

/** The default of {@link OtelLogsOptions.maxHeldRecords}, as OpenTelemetry Java's appenders hold. */
export const DEFAULT_MAX_HELD_RECORDS = 1000;

const OWN_OPTIONS: Readonly<Record<keyof OtelLogsOptions, true>> = {
  severityOverrides: true,
  flattenAttributes: true,
  fields: true,
  maxHeldRecords: true,
};

/**
 * Validates the in-process mode's options once, at construction: unknown names (outside
 * `ownNames`, e.g. winston's transport options), wrong types and invalid values throw.
 *
 * @throws {InvalidOptionError} naming the option, what it takes and what was given.
 * @example
 * ```ts
 * resolveOtelLogsOptions({ maxHeldRecords: 10 }).maxHeldRecords; // 10
 * ```
 */
export function resolveOtelLogsOptions(
  options: unknown,
  ownNames: ReadonlySet<string> = new Set(),
): ResolvedOtelLogsOptions {
  if (options === undefined) options = {};
  if (!isRecord(options)) throw new InvalidOptionError('options', 'an object', options);
  for (const [name, value] of Object.entries(options)) {
    if (!Object.hasOwn(OWN_OPTIONS, name) && !ownNames.has(name)) {
      const known = [...Object.keys(OWN_OPTIONS), ...ownNames].join(', ');
      throw new InvalidOptionError(name, `a known option name (${known})`, value);
    }
  }
  const given = options as OtelLogsOptions;
  // The mapping's own checks: severityOverrides, flattenAttributes and fields.
  resolveCommonMapping(given);
  resolveTraceFieldMatcher(given.fields);
  return {
    severityOverrides: given.severityOverrides,
    flattenAttributes: given.flattenAttributes,
    fields: given.fields,
    maxHeldRecords: resolveInteger(
      'maxHeldRecords',
      given.maxHeldRecords,
      DEFAULT_MAX_HELD_RECORDS,
      0,
      1_000_000,
    ),
  };
}
