import { SeverityNumber } from '@opentelemetry/api-logs';
import type { LevelSeverity } from './level-severity.js';
import { limitString } from './limit-string.js';
import { pinoSeverityNumber } from './pino-severity.js';
import type { ResolvedPinoMapping } from './resolve-pino-mapping.js';

/**
 * The severity of a pino line's `level`, or `undefined` when `level` is neither a number nor
 * a string (absent, or garbage: then the record is UNSPECIFIED with an empty severityText and
 * the field stays an attribute). A number without a name is placed by rank and named by its
 * digits (`"35"`); a name the logger does not have is UNSPECIFIED, its text kept. Overrides
 * win in both cases.
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
    const override = mapping.severityOverrides.get(level);
    return {
      severityNumber: override ?? SeverityNumber.UNSPECIFIED,
      severityText: limitString(level, mapping.limits.maxStringLength),
    };
  }
  return undefined;
}
