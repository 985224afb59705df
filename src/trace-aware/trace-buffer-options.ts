import { InvalidOptionError } from '../core/invalid-option-error.js';
import type { TraceBufferLimits } from './trace-buffer.js';
import type { LevelScale } from './trace-aware-options.js';
import { checkOptionNames, resolveCount, resolveLevel } from './trace-aware-options.js';

/** Options of `pinoTraceBuffer` and `winstonTraceBuffer`. */
export interface TraceBufferOptions<Level = string | number> {
  /**
   * Lines at this level and below (less severe) are held while their request is open.
   * @default 'debug'
   */
  holdLevel?: Level;
  /**
   * A line at this level or above (more severe) writes its trace's held lines first, and the
   * trace's later lines are written at once. Must be more severe than `holdLevel`.
   * @default 'error'
   */
  flushLevel?: Level;
  /**
   * The most one trace may hold, in characters of the serialised lines (bytes for ASCII).
   * When a new line would pass it, the trace's oldest held lines are dropped (counted as
   * `droppedTraceLimit`); a single line larger than this is dropped itself.
   * @default 262144 (256 KiB)
   */
  maxTraceBytes?: number;
  /**
   * The most all traces together may hold. When a new line would pass it, the oldest held
   * lines of the oldest open trace are dropped first (counted as `droppedTotalLimit`).
   * @default 16777216 (16 MiB)
   */
  maxBytes?: number;
  /**
   * A request open longer than this loses its held lines (counted as `expired`), checked on
   * a timer every quarter of this (at least 0.1 s, at most 5 s); its later lines are written
   * at once.
   * @default 60000
   */
  maxAgeMs?: number;
}

/** {@link TraceBufferOptions}, validated, levels as ranks (larger is more severe). */
export interface ResolvedTraceBufferOptions {
  readonly holdRank: number;
  readonly flushRank: number;
  readonly limits: TraceBufferLimits;
}

const NAMES = ['holdLevel', 'flushLevel', 'maxTraceBytes', 'maxBytes', 'maxAgeMs'];

/**
 * Validates the options once, when the buffer is made.
 *
 * @throws {InvalidOptionError} when an option is unknown or invalid.
 * @example
 * ```ts
 * resolveTraceBufferOptions({ holdLevel: 'info' }, PINO_SCALE).holdRank; // 30
 * ```
 */
export function resolveTraceBufferOptions(
  options: TraceBufferOptions<unknown>,
  scale: LevelScale,
): ResolvedTraceBufferOptions {
  checkOptionNames(options, NAMES);
  const holdRank = resolveLevel('holdLevel', options.holdLevel, 'debug', scale);
  const flushRank = resolveLevel('flushLevel', options.flushLevel, 'error', scale);
  if (flushRank <= holdRank) {
    throw new InvalidOptionError(
      'flushLevel',
      'a level more severe than holdLevel',
      options.flushLevel,
    );
  }
  const maxTraceBytes = resolveCount('maxTraceBytes', options.maxTraceBytes, 256 * 1024);
  const maxBytes = resolveCount('maxBytes', options.maxBytes, 16 * 1024 * 1024);
  if (maxBytes < maxTraceBytes) {
    throw new InvalidOptionError('maxBytes', 'at least maxTraceBytes', options.maxBytes);
  }
  const maxAgeMs = resolveCount('maxAgeMs', options.maxAgeMs, 60_000);
  return { holdRank, flushRank, limits: { maxTraceBytes, maxBytes, maxAgeMs } };
}
