import { InvalidOptionError } from '../core/invalid-option-error.js';
import type { LevelScale } from './trace-aware-options.js';
import { winstonScale } from './trace-aware-options.js';

/** What the winston helpers read and change on a logger. */
export interface WinstonLike {
  levels: Record<string, number>;
  write: (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
  push: (chunk: unknown, encoding?: BufferEncoding) => boolean;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/** triple-beam's LEVEL: the record's level name, never colourised. */
export const LEVEL = Symbol.for('level');
/** triple-beam's MESSAGE: the finished line winston's transports write. */
export const MESSAGE = Symbol.for('message');

/**
 * The logger's level scale and a lookup from level name to rank (larger is more severe).
 *
 * @throws {InvalidOptionError} when `logger` is not a winston logger.
 * @example
 * ```ts
 * const { scale, ranks } = winstonLevels(logger);
 * ```
 */
export function winstonLevels(logger: unknown): {
  scale: LevelScale;
  ranks: Map<unknown, number>;
} {
  const candidate = logger as Partial<WinstonLike> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.write !== 'function' ||
    typeof candidate.push !== 'function' ||
    typeof candidate.levels !== 'object' ||
    candidate.levels === null
  ) {
    throw new InvalidOptionError('logger', 'a winston logger', logger);
  }
  const levels = candidate.levels;
  const ranks = new Map<unknown, number>();
  for (const [name, value] of Object.entries(levels)) {
    if (typeof value === 'number') ranks.set(name, -value);
  }
  return { scale: winstonScale(levels), ranks };
}

/**
 * The rank of a record's level, or `undefined` for a level the logger does not have.
 *
 * @example
 * ```ts
 * rankOfRecord(info, ranks); // -5 for 'debug' with npm levels
 * ```
 */
export function rankOfRecord(info: object, ranks: Map<unknown, number>): number | undefined {
  const record = info as { [LEVEL]?: unknown; level?: unknown };
  return ranks.get(record[LEVEL] ?? record.level);
}
