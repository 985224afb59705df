import { InvalidOptionError } from '../options-error.js';
import type { LevelSeverity } from './level-severity.js';
import { resolveCommonMapping } from './mapping-options.js';
import { isRecord } from './option-values.js';
import type { CommonMappingOptions, ResolvedCommonMapping } from './mapping-options.js';
import { PINO_DEFAULT_LEVELS, pinoSeverityNumber } from './pino-severity.js';

/**
 * pino's level description, as `logger.levels` (and the transport's `PINO_CONFIG`) holds it.
 *
 * @example
 * ```ts
 * const levels: PinoLevels = logger.levels; // { values: { info: 30, … }, labels: { 30: 'info', … } }
 * ```
 */
export interface PinoLevels {
  /** Level name → number: the complete set, defaults included. */
  readonly values: Readonly<Record<string, number>>;
  /** Level number → name; derived from `values` when left out. */
  readonly labels?: Readonly<Record<number, string>>;
}

/**
 * Options of {@link resolvePinoMapping}.
 *
 * @example
 * ```ts
 * const options: PinoMappingOptions = { messageKey: 'message', customLevels: { audit: 35 } };
 * ```
 */
export interface PinoMappingOptions extends CommonMappingOptions {
  /**
   * The field holding the message (pino's `messageKey`).
   * @default 'msg'
   */
  readonly messageKey?: string;
  /**
   * The field holding the serialized error (pino's `errorKey`).
   * @default 'err'
   */
  readonly errorKey?: string;
  /**
   * The logger's whole level set, as `logger.levels` gives it; replaces pino's defaults.
   * @default pino's levels: trace 10, debug 20, info 30, warn 40, error 50, fatal 60
   */
  readonly levels?: PinoLevels;
  /**
   * Extra levels (pino's `customLevels`), merged onto `levels`.
   * @default {}
   */
  readonly customLevels?: Readonly<Record<string, number>>;
}

/**
 * {@link PinoMappingOptions}, validated, with every level's severity computed. Resolved once
 * per transport and shared by every record.
 *
 * @example
 * ```ts
 * const mapping: ResolvedPinoMapping = resolvePinoMapping();
 * mapping.byValue.get(30); // { severityNumber: 9, severityText: 'info' }
 * ```
 */
export interface ResolvedPinoMapping extends ResolvedCommonMapping {
  readonly messageKey: string;
  readonly errorKey: string;
  /** The severity of every named level, by number. */
  readonly byValue: ReadonlyMap<number, LevelSeverity>;
  /** The same, by name: for lines whose `level` is the label (`formatters.level`). */
  readonly byLabel: ReadonlyMap<string, LevelSeverity>;
  /** The same, by lower-cased name: for labels a formatter recased (`INFO`). */
  readonly byLowerLabel: ReadonlyMap<string, LevelSeverity>;
  /** Fields that are never attributes: the message, `hostname` and `pid` (resource). */
  readonly reservedKeys: ReadonlySet<string>;
}

/**
 * Validates the options of the pino mapping once and computes the severity of every level.
 *
 * @throws {InvalidOptionError} when an option is invalid.
 * @example
 * ```ts
 * const mapping = resolvePinoMapping({ customLevels: { audit: 35 }, messageKey: 'message' });
 * const record = mapPinoRecord(JSON.parse(line), mapping);
 * ```
 */
export function resolvePinoMapping(options: PinoMappingOptions = {}): ResolvedPinoMapping {
  if (!isRecord(options)) throw new InvalidOptionError('options', 'an object', options);
  const common = resolveCommonMapping(options);
  const messageKey = resolveKey('messageKey', options.messageKey, 'msg');
  const errorKey = resolveKey('errorKey', options.errorKey, 'err');
  const labels = resolveLabels(options.levels, options.customLevels);
  const byValue = new Map<number, LevelSeverity>();
  const byLabel = new Map<string, LevelSeverity>();
  const byLowerLabel = new Map<string, LevelSeverity>();
  for (const [value, name] of labels) {
    const severity = {
      severityNumber: common.severityOverrides.get(name) ?? pinoSeverityNumber(value),
      severityText: name,
    };
    byValue.set(value, severity);
    byLabel.set(name, severity);
    byLowerLabel.set(name.toLowerCase(), severity);
  }
  const reservedKeys = new Set([messageKey, 'hostname', 'pid']);
  return { ...common, messageKey, errorKey, byValue, byLabel, byLowerLabel, reservedKeys };
}

function resolveKey(option: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && value !== '') return value;
  throw new InvalidOptionError(option, 'a non-empty string', value);
}

// Number → name, as pino builds its labels: a later name for the same number wins.
function resolveLabels(levels: unknown, customLevels: unknown): Map<number, string> {
  if (levels !== undefined && !isRecord(levels)) {
    throw new InvalidOptionError('levels', '{ values, labels? } as logger.levels holds it', levels);
  }
  const values = { ...levelValues('levels.values', levels?.values ?? PINO_DEFAULT_LEVELS) };
  Object.assign(values, levelValues('customLevels', customLevels ?? {}));
  const labels = new Map<number, string>();
  for (const [name, value] of Object.entries(values)) labels.set(value, name);
  const given = levels?.labels ?? {};
  if (!isRecord(given)) throw new InvalidOptionError('levels.labels', 'an object', given);
  for (const [value, name] of Object.entries(given)) {
    if (typeof name !== 'string') {
      throw new InvalidOptionError(`levels.labels.${value}`, 'a level name', name);
    }
    labels.set(Number(value), name);
  }
  return labels;
}

function levelValues(option: string, value: unknown): Record<string, number> {
  if (!isRecord(value)) throw new InvalidOptionError(option, 'an object of name → number', value);
  for (const [name, level] of Object.entries(value)) {
    // Infinity is allowed: it is pino's `silent`, which never reaches a record.
    if (typeof level !== 'number' || Number.isNaN(level)) {
      throw new InvalidOptionError(`${option}.${name}`, 'a number', level);
    }
  }
  return value as Record<string, number>;
}
