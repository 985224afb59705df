import { SeverityNumber } from '@opentelemetry/api-logs';
import type { LevelSeverity } from './level-severity.js';
import { limitString } from './limit-string.js';
import { pinoSeverityNumber } from './pino-severity.js';
import { severityOfName } from './severity-names.js';
import type { ResolvedPinoMapping } from './resolve-pino-mapping.js';

/**
 * The severity of a pino line's level, or `undefined` when it is neither a number nor a
 * string (absent, or garbage: then the record is UNSPECIFIED with an empty severityText and
 * the field stays an attribute). A number without a name is placed by rank and named by its
 * digits (`"35"`). A name the logger does not have keeps its text and is matched without
 * regard to case — to the logger's names (`INFO`, from a formatter's `label.toUpperCase()`),
 * then to the RFC 5424 / Google Cloud names (`WARNING`, `CRITICAL`; see `severityOfName`);
 * else it is UNSPECIFIED. Overrides (exact names) win in every case.
 *
 * @example
 * ```ts
 * pinoLevelSeverity(35, resolvePinoMapping()); // { severityNumber: 11, severityText: '35' }
 * ```
 */
export function pinoLevelSeverity(
  level: unknown,
  mapping: ResolvedPinoMapping,
): LevelSeverity | undefined {
  if (typeof level === 'number') {
    const known = mapping.byValue.get(level);
    if (known !== undefined) return known;
    const severityText = String(level);
    const override = mapping.severityOverrides.get(severityText);
    return { severityNumber: override ?? pinoSeverityNumber(level), severityText };
  }
  if (typeof level === 'string') {
    const known = mapping.byLabel.get(level);
    if (known !== undefined) return known;
    const severityNumber =
      mapping.severityOverrides.get(level) ??
      severityOfName(level, mapping.byLowerLabel) ??
      SeverityNumber.UNSPECIFIED;
    return { severityNumber, severityText: limitString(level, mapping.limits.maxStringLength) };
  }
  return undefined;
}
