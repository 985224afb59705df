import { context } from '@opentelemetry/api';
import type { LogFn, Logger } from 'pino';
import { UnsampledCheck } from './active-trace.js';
import { PINO_SCALE } from './trace-aware-options.js';
import { resolveTraceSamplingOptions } from './trace-sampling-options.js';
import type { TraceSamplingOptions, TraceSamplingStats } from './trace-sampling-options.js';

/** Options of {@link pinoTraceSampling}: levels by pino name (`'warn'`) or number. */
export type PinoTraceSamplingOptions = TraceSamplingOptions<string | number>;

/** pino's `hooks.logMethod` that drops the lines of unsampled traces, and its count. */
export interface PinoTraceSampling {
  /** Pass as pino's `hooks.logMethod`. */
  readonly logMethod: (this: Logger, args: Parameters<LogFn>, method: LogFn, level: number) => void;
  /** Lines dropped so far. */
  stats(): TraceSamplingStats;
}

/**
 * Trace-based log sampling for pino: a `hooks.logMethod` that drops a line below `keepLevel`
 * (`warn` by default) when the active span's trace has its sampled flag off — the W3C
 * `trace-flags` bit every service of the trace reads alike, set by the SDK's sampler or, in
 * lightweight mode, by the caller. A dropped line is never serialised, so it costs far less
 * than writing it. Lines of sampled traces and lines outside any trace are kept. Never
 * throws.
 *
 * @throws {InvalidOptionError} when an option is invalid.
 * @example
 * ```ts
 * import pino from 'pino';
 * import { pinoMixin, pinoTraceSampling } from 'tracelink/pino';
 *
 * const sampling = pinoTraceSampling({ keepLevel: 'warn' });
 * const logger = pino({ mixin: pinoMixin(), hooks: { logMethod: sampling.logMethod } });
 * ```
 */
export function pinoTraceSampling(options: PinoTraceSamplingOptions = {}): PinoTraceSampling {
  const keepRank = resolveTraceSamplingOptions(options, PINO_SCALE);
  const unsampled = new UnsampledCheck();
  let dropped = 0;
  return {
    logMethod(args, method, level) {
      if (level < keepRank && unsampled.of(context.active())) {
        dropped++;
        return;
      }
      method.apply(this, args);
    },
    stats: () => ({ dropped }),
  };
}
