import { context } from '@opentelemetry/api';
import type { Logger } from 'winston';
import { capturedContextOf } from '../core/captured-context.js';
import { LOG_TIME } from '../core/log-time.js';
import { reportProblem } from '../core/report-problem.js';
import { traceIdOf } from './active-trace.js';
import { TraceBuffer } from './trace-buffer.js';
import type { TraceBufferStats } from './trace-buffer.js';
import { resolveTraceBufferOptions } from './trace-buffer-options.js';
import type { TraceBufferOptions } from './trace-buffer-options.js';
import { MESSAGE, rankOfRecord, winstonLevels } from './winston-levels.js';
import type { WinstonLike } from './winston-levels.js';

/** Options of {@link winstonTraceBuffer}: levels by the logger's level names. */
export type WinstonTraceBufferOptions = TraceBufferOptions<string>;

/** The handle of a logger's trace buffer. */
export interface WinstonTraceBuffer {
  /** What it holds now and every record it did not write, counted. */
  stats(): TraceBufferStats;
  /** Discards what is held (counted) and stops holding; the logger writes everything again. */
  close(): void;
}

// A record with no finished line yet (no terminal format) is sized by its message plus this.
const UNSERIALISED_OVERHEAD = 128;

/**
 * Makes `logger` hold back, inside a request that tracelink traces (`traceRequests`,
 * `traceMiddleware`, `fastifyTracePlugin`, `withConsumerSpan`), records at `holdLevel` and
 * below (by the logger's own levels) after its format has run and before they reach its
 * transports — the console, a file, tracelink's OTLP transport alike. When a record at
 * `flushLevel` or above is logged in that trace, or the request ends failed (a thrown or
 * rejected handler, an HTTP 5xx, a response cut off), the held records reach the transports
 * first, in order, formatted as they were at their log call (a `timestamp()` format's time
 * included; the OTLP transport uses the log call's time); the trace's later records pass at
 * once. When the request ends cleanly they are discarded and counted. The trace is the one
 * captured by `captureTraceContext`, else the active one. The logger's own `level` must let
 * the held levels through (`level: 'debug'`). Only this instance is changed; a second call
 * on the same logger replaces nothing and returns a second, independent buffer.
 *
 * Bounded as `pinoTraceBuffer` is: per trace, in total (the size of a record is the length
 * of its finished line), and by age; every record not written is counted in `stats()`.
 *
 * @throws {InvalidOptionError} when `logger` is not a winston logger or an option is invalid.
 * @example
 * ```ts
 * import winston from 'winston';
 * import { captureTraceContext, traceJson, winstonTraceBuffer } from 'tracelink/winston';
 *
 * const logger = captureTraceContext(
 *   winston.createLogger({ level: 'debug', format: traceJson(), transports: [new winston.transports.Console()] }),
 * );
 * const buffer = winstonTraceBuffer(logger);
 * ```
 */
export function winstonTraceBuffer(
  logger: Logger,
  options: WinstonTraceBufferOptions = {},
): WinstonTraceBuffer {
  const { scale, ranks } = winstonLevels(logger);
  const { holdRank, flushRank, limits } = resolveTraceBufferOptions(options, scale);
  const target = logger as unknown as WinstonLike;
  // winston's Logger pushes each formatted record to its transports (`_transform`); this
  // instance's push is wrapped, so formats ran first and every transport sees the same.
  const push = target.push;
  let closed = false;
  const buffer = new TraceBuffer<object>(limits, (info) => {
    if (!closed) push.call(target, info);
  });
  target.push = function pushOrHold(this: unknown, chunk: unknown, encoding?: BufferEncoding) {
    if (typeof chunk === 'object' && chunk !== null && buffer.watching) {
      try {
        const rank = rankOfRecord(chunk, ranks);
        if (rank !== undefined && (rank <= holdRank || rank >= flushRank)) {
          const traceId = traceIdOf(capturedContextOf(chunk) ?? context.active());
          if (traceId !== undefined) {
            if (rank >= flushRank) buffer.fail(traceId);
            else {
              (chunk as { [LOG_TIME]?: number })[LOG_TIME] ??= Date.now();
              if (buffer.hold(traceId, chunk, sizeOf(chunk))) return true;
            }
          }
        }
      } catch (error) {
        reportProblem('holding a winston record for its trace', 'it is written at once', error);
      }
    }
    return push.call(this, chunk, encoding);
  };
  const close = () => {
    buffer.close();
    closed = true;
  };
  // Past the logger's end nothing may be pushed: what is held then is discarded.
  target.once('finish', close);
  return { stats: () => buffer.stats(), close };
}

function sizeOf(info: object): number {
  const line = (info as { [MESSAGE]?: unknown })[MESSAGE];
  if (typeof line === 'string') return line.length;
  const message = (info as { message?: unknown }).message;
  return (typeof message === 'string' ? message.length : 0) + UNSERIALISED_OVERHEAD;
}
