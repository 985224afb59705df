import type { SeverityNumber } from '@opentelemetry/api-logs';
import { SYSLOG_LEVEL_SET } from './winston-level-sets.js';

// No level name is longer; a longer string is not looked up (no lower-casing of huge values).
const LONGEST_NAME = 32;

/**
 * Severity names a log line may carry that are not the logger's own level names: the RFC 5424
 * names, short (`crit`, `emerg`) and spelled out as Google Cloud's `LogSeverity` spells them
 * (`CRITICAL`, `EMERGENCY`; also `WARNING`, `NOTICE`, `ALERT`), mapped as the syslog levels are
 * (logs data model, Appendix B). Keys are lower case.
 */
const SEVERITY_NAMES: ReadonlyMap<string, SeverityNumber> = new Map([
  ...Object.entries(SYSLOG_LEVEL_SET.severities),
  ['critical', SYSLOG_LEVEL_SET.severities.crit],
  ['emergency', SYSLOG_LEVEL_SET.severities.emerg],
]);

/**
 * The SeverityNumber of a level name that is not one of the logger's own, matched without
 * regard to case: first against the logger's names (`byLowerName`: a formatter that writes
 * `label.toUpperCase()`), then against the RFC 5424 / Google Cloud names. `undefined` when
 * neither knows it.
 *
 * @example
 * ```ts
 * severityOfName('WARNING', new Map()); // SeverityNumber.WARN
 * severityOfName('ERROR', mapping.byLowerLabel); // the logger's `error` level
 * ```
 */
export function severityOfName(
  name: string,
  byLowerName: ReadonlyMap<string, { readonly severityNumber: SeverityNumber }>,
): SeverityNumber | undefined {
  if (name.length > LONGEST_NAME) return undefined;
  const lower = name.toLowerCase();
  return byLowerName.get(lower)?.severityNumber ?? SEVERITY_NAMES.get(lower);
}
