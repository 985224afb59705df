import { InvalidOptionError } from '../core/invalid-option-error.js';

/**
 * A logger's levels as ranks where a larger rank is more severe: pino's numbers as they are,
 * winston's (where 0 is the most severe) negated. `rankOf` maps an option's level name or
 * number; `undefined` when the logger has no such level.
 */
export interface LevelScale {
  readonly describe: string;
  rankOf(level: string | number): number | undefined;
}

/** pino's default levels. */
export const PINO_LEVELS: Readonly<Record<string, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

/**
 * pino's scale: a default level name, or any level number (custom levels log by number).
 *
 * @example
 * ```ts
 * PINO_SCALE.rankOf('warn'); // 40
 * ```
 */
export const PINO_SCALE: LevelScale = {
  describe: `a pino level name (${Object.keys(PINO_LEVELS).join(', ')}) or a positive number`,
  rankOf(level) {
    if (typeof level === 'number') return Number.isFinite(level) && level > 0 ? level : undefined;
    return Object.hasOwn(PINO_LEVELS, level) ? PINO_LEVELS[level] : undefined;
  },
};

/**
 * A winston logger's scale, from its `levels` (`{ error: 0, warn: 1, … }`).
 *
 * @example
 * ```ts
 * winstonScale(logger.levels).rankOf('warn'); // -1
 * ```
 */
export function winstonScale(levels: Readonly<Record<string, number>>): LevelScale {
  return {
    describe: `one of the logger's levels (${Object.keys(levels).join(', ')})`,
    rankOf(level) {
      if (typeof level !== 'string' || !Object.hasOwn(levels, level)) return undefined;
      const value = levels[level];
      return typeof value === 'number' ? -value : undefined;
    },
  };
}

/**
 * Checks that `options` is an object with no names but `known`.
 *
 * @throws {InvalidOptionError} when it is not, or names an unknown option.
 * @example
 * ```ts
 * checkOptionNames({ keepLevel: 'warn' }, ['keepLevel']);
 * ```
 */
export function checkOptionNames(options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError('options', 'an object', options);
  }
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      throw new InvalidOptionError(name, `a known option (${known.join(', ')})`, name);
    }
  }
}

/**
 * The rank of the level option `name`, or of `fallback` when it is not given.
 *
 * @throws {InvalidOptionError} when the logger has no such level.
 * @example
 * ```ts
 * resolveLevel('keepLevel', options.keepLevel, 'warn', PINO_SCALE); // 40
 * ```
 */
export function resolveLevel(
  name: string,
  value: unknown,
  fallback: string,
  scale: LevelScale,
): number {
  const given = value ?? fallback;
  const rank =
    typeof given === 'string' || typeof given === 'number' ? scale.rankOf(given) : undefined;
  if (rank === undefined) throw new InvalidOptionError(name, scale.describe, value);
  return rank;
}

/**
 * A positive integer option, or `fallback` when it is not given.
 *
 * @throws {InvalidOptionError} when it is not a positive safe integer.
 * @example
 * ```ts
 * resolveCount('maxBytes', options.maxBytes, 16 * 1024 * 1024);
 * ```
 */
export function resolveCount(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidOptionError(name, 'a positive integer', value);
  }
  return value;
}
