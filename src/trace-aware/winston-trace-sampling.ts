import { context } from '@opentelemetry/api';
import type { Logger } from 'winston';
import { reportProblem } from '../core/report-problem.js';
import { UnsampledCheck } from './active-trace.js';
import { resolveTraceSamplingOptions } from './trace-sampling-options.js';
import type { TraceSamplingOptions, TraceSamplingStats } from './trace-sampling-options.js';
import { rankOfRecord, winstonLevels } from './winston-levels.js';
import type { WinstonLike } from './winston-levels.js';

/** Options of {@link winstonTraceSampling}: levels by the logger's level names. */
export type WinstonTraceSamplingOptions = TraceSamplingOptions<string>;

/** The handle of a logger's trace-based sampling. */
export interface WinstonTraceSampling {
  /** Records dropped so far. */
  stats(): TraceSamplingStats;
}

/**
 * Trace-based log sampling for winston: makes `logger` drop a record below `keepLevel`
 * (`warn` by default, by the logger's own levels) when the active span's trace has its
 * sampled flag off — the W3C `trace-flags` bit every service of the trace reads alike, set
 * by the SDK's sampler or, in lightweight mode, by the caller. The record is dropped in the
 * log call, before any format runs, so it costs far less than writing it. Records of sampled
 * traces and records outside any trace are kept. Only this instance (and its children) is
 * changed. Never throws into a log call.
 *
 * @throws {InvalidOptionError} when `logger` is not a winston logger or an option is invalid.
 * @example
 * ```ts
 * import winston from 'winston';
 * import { traceJson, winstonTraceSampling } from 'tracelink/winston';
 *
 * const logger = winston.createLogger({ format: traceJson(), transports: [new winston.transports.Console()] });
 * const sampling = winstonTraceSampling(logger, { keepLevel: 'warn' });
 * ```
 */
export function winstonTraceSampling(
  logger: Logger,
  options: WinstonTraceSamplingOptions = {},
): WinstonTraceSampling {
  const { scale, ranks } = winstonLevels(logger);
  const keepRank = resolveTraceSamplingOptions(options, scale);
  const target = logger as unknown as WinstonLike;
  const write = target.write;
  const unsampled = new UnsampledCheck();
  let dropped = 0;
  // Every level method, log() and every child logger end in this instance's write(), in the
  // log call, under the caller's context.
  target.write = function writeIfSampled(this: unknown, chunk, encoding, callback) {
    if (typeof chunk === 'object' && chunk !== null && isDropped(chunk)) {
      dropped++;
      if (typeof callback === 'function') (callback as () => void)();
      else if (typeof encoding === 'function') (encoding as () => void)();
      return true;
    }
    return write.call(this, chunk, encoding, callback);
  };
  function isDropped(record: object): boolean {
    try {
      const rank = rankOfRecord(record, ranks);
      return rank !== undefined && rank < keepRank && unsampled.of(context.active());
    } catch (error) {
      // A record whose level cannot be read (a hostile Proxy): kept, winston decides.
      reportProblem('reading a winston record for trace-based sampling', 'it is kept', error);
      return false;
    }
  }
  return { stats: () => ({ dropped }) };
}
