import type { LevelScale } from './trace-aware-options.js';
import { checkOptionNames, resolveLevel } from './trace-aware-options.js';

/** Options of `pinoTraceSampling` and `winstonTraceSampling`. */
export interface TraceSamplingOptions<Level = string | number> {
  /**
   * In a trace whose sampled flag is off, lines at this level and above (more severe) are
   * kept; the rest are dropped and counted. Lines of sampled traces and lines outside any
   * trace are always kept.
   * @default 'warn'
   */
  keepLevel?: Level;
}

/** What trace-based sampling has dropped since it was made. */
export interface TraceSamplingStats {
  /** Lines dropped because their trace was not sampled and their level is below `keepLevel`. */
  readonly dropped: number;
}

/**
 * Validates the options once; returns the rank of `keepLevel` (larger is more severe).
 *
 * @throws {InvalidOptionError} when an option is unknown or invalid.
 * @example
 * ```ts
 * resolveTraceSamplingOptions({}, PINO_SCALE); // 40
 * ```
 */
export function resolveTraceSamplingOptions(
  options: TraceSamplingOptions<unknown>,
  scale: LevelScale,
): number {
  checkOptionNames(options, ['keepLevel']);
  return resolveLevel('keepLevel', options.keepLevel, 'warn', scale);
}
