import type { SeverityNumber } from '@opentelemetry/api-logs';
import { InvalidOptionError } from '../../src/core/invalid-option-error.js';
import type { OtlpExportOptions } from '../options/otlp-options.js';
import { otlpOptionsOf } from '../options/otlp-option-table.js';
import { resolveOtlpOptions } from '../options/resolve-otlp-options.js';
import { isRecord, resolveCommonMapping } from '../mapping/mapping-options.js';

/**
 * Options of the pino transport: the OTLP options plus how pino's lines are read. pino's
 * own configuration (custom levels, `messageKey`, `errorKey`) is taken from the logger.
 */
export interface PinoOtlpTransportOptions extends OtlpExportOptions {
  /** Severity for level names, over the default placement. @default {} */
  readonly severityOverrides?: Readonly<Record<string, SeverityNumber>>;
  /** Nested objects as dotted attribute keys (`a.b.c`) instead of maps. @default false */
  readonly flattenAttributes?: boolean;
  /** A `log.record.uid` (a ULID) on each record, the same in every retry. @default false */
  readonly recordUid?: boolean;
}

/**
 * Checks the pino transport's options on the calling thread, as its worker will, and returns
 * them as they were given. pino starts the transport in a worker thread, where an invalid
 * option cannot throw to the application: the worker then prints one line naming the option
 * and counts every record as dropped (`invalid-options`). Called before `pino.transport()`,
 * this throws where the application sees it — at start-up, in a test. It loads the option
 * checks only, no exporter.
 *
 * @throws {InvalidOptionError} naming the option (an unknown name too), what it takes and
 *   what was given.
 * @example
 * ```ts
 * import { validatePinoOtlpOptions } from 'tracelink/pino-transport';
 *
 * const transport = pino.transport({
 *   target: 'tracelink/pino-transport',
 *   options: validatePinoOtlpOptions({ endpoint: 'http://collector:4318/v1/logs', serviceName: 'api' }),
 * });
 * ```
 */
export function validatePinoOtlpOptions(
  options: PinoOtlpTransportOptions,
): PinoOtlpTransportOptions {
  if (!isRecord(options)) throw new InvalidOptionError('options', 'an object', options);
  resolveOtlpOptions(pinoOtlpOptionsOf(options));
  checkPinoMappingOptions(options);
  return options;
}

/**
 * Checks the options the pino transport reads itself: `severityOverrides` (level name → 0–24)
 * and `flattenAttributes`. The record mapping reads them again when pino's configuration has
 * come; checked here, at the start, an invalid one is known before the first record.
 *
 * @throws {InvalidOptionError} when one is invalid.
 * @example
 * ```ts
 * checkPinoMappingOptions({ severityOverrides: { audit: 12 } }); // fine
 * ```
 */
export function checkPinoMappingOptions(options: PinoOtlpTransportOptions): void {
  resolveCommonMapping({
    severityOverrides: options.severityOverrides,
    flattenAttributes: options.flattenAttributes,
    recordUid: options.recordUid,
  });
}

// The options this transport reads itself (the compiler checks the list against
// PinoOtlpTransportOptions), and the ones pino adds to a target's options: `pinoWillSendConfig`
// always, `levels` and `dedupe` when given to `pino.transport()` (pino/lib/transport.js).
const PINO_OWN_OPTIONS = {
  ...({
    severityOverrides: true,
    flattenAttributes: true,
    recordUid: true,
  } as const satisfies Record<
    Exclude<keyof PinoOtlpTransportOptions, keyof OtlpExportOptions>,
    true
  >),
  pinoWillSendConfig: true,
  levels: true,
  dedupe: true,
} as const;

/**
 * The OTLP options among pino's: every name but this transport's own, pino's additions and
 * thread-stream's (`$context`, under the `$` names it keeps for itself, in whatever version of
 * thread-stream the application's pino brings). Any other name is an OTLP option, or unknown:
 * then the resolver throws.
 *
 * @example
 * ```ts
 * pinoOtlpOptionsOf({ flattenAttributes: true, endpoint: 'http://c:4318/v1/logs' }); // { endpoint: … }
 * ```
 */
export function pinoOtlpOptionsOf(options: PinoOtlpTransportOptions): OtlpExportOptions {
  const otlp: Record<string, unknown> = { ...otlpOptionsOf(options, PINO_OWN_OPTIONS) };
  for (const name of Object.keys(otlp)) if (name.startsWith('$')) delete otlp[name];
  return otlp;
}
