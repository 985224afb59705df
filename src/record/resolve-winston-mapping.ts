import { InvalidOptionError } from '../options-error.js';
import type { LevelSeverity } from './level-severity.js';
import { resolveCommonMapping } from './mapping-options.js';
import { isRecord } from './option-values.js';
import type { CommonMappingOptions, ResolvedCommonMapping } from './mapping-options.js';
import { NPM_LEVEL_SET } from './winston-level-sets.js';
import type { WinstonLevels } from './winston-level-sets.js';
import { winstonSeverities } from './winston-severity.js';

/**
 * Options of {@link resolveWinstonMapping}.
 *
 * @example
 * ```ts
 * const options: WinstonMappingOptions = { levels: winston.config.syslog.levels };
 * ```
 */
export interface WinstonMappingOptions extends CommonMappingOptions {
  /**
   * The logger's level set (`logger.levels`): name → rank, 0 the most severe. winston's
   * `npm`, `syslog` and `cli` sets are recognised; any other set is placed by rank.
   * @default winston.config.npm.levels
   */
  readonly levels?: WinstonLevels;
}

/**
 * {@link WinstonMappingOptions}, validated, with every level's severity computed. Resolved
 * once per transport and shared by every record.
 *
 * @example
 * ```ts
 * const mapping: ResolvedWinstonMapping = resolveWinstonMapping();
 * mapping.severities.get('http'); // { severityNumber: 7, severityText: 'http' }
 * ```
 */
export interface ResolvedWinstonMapping extends ResolvedCommonMapping {
  /** The severity of every level of the set, overrides applied. */
  readonly severities: ReadonlyMap<string, LevelSeverity>;
}

/**
 * Validates the options of the winston mapping once and computes the severity of every level.
 *
 * @throws {InvalidOptionError} when an option is invalid.
 * @example
 * ```ts
 * const mapping = resolveWinstonMapping({ levels: winston.config.syslog.levels });
 * const record = mapWinstonRecord(info, mapping);
 * ```
 */
export function resolveWinstonMapping(options: WinstonMappingOptions = {}): ResolvedWinstonMapping {
  if (!isRecord(options)) throw new InvalidOptionError('options', 'an object', options);
  const common = resolveCommonMapping(options);
  const levels = resolveLevels(options.levels);
  const severities = new Map<string, LevelSeverity>();
  for (const [name, placed] of winstonSeverities(levels)) {
    const severityNumber = common.severityOverrides.get(name) ?? placed;
    severities.set(name, { severityNumber, severityText: name });
  }
  return { ...common, severities };
}

function resolveLevels(value: unknown): WinstonLevels {
  if (value === undefined) return NPM_LEVEL_SET.levels;
  const expected = 'an object of level name → rank (0 = most severe), as logger.levels';
  if (!isRecord(value) || Object.keys(value).length === 0) {
    throw new InvalidOptionError('levels', expected, value);
  }
  for (const [name, rank] of Object.entries(value)) {
    if (typeof rank !== 'number' || !Number.isFinite(rank)) {
      throw new InvalidOptionError(`levels.${name}`, 'a finite number', rank);
    }
  }
  return value as WinstonLevels;
}
