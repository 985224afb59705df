import type { Readable } from 'node:stream';
import build from 'pino-abstract-transport';
import { diag } from '@opentelemetry/api';
import { InvalidOptionError } from '../../src/core/invalid-option-error.js';
import { describeError, writeStderrLine } from '../stderr.js';
import { DeliveryStats } from './report/delivery-stats.js';
import { shareStats } from './report/share-stats.js';
import { configureDiagFromEnv } from './report/diag-from-env.js';
import { beginExit, onExitDeadline } from './exit-deadline.js';
import type { OtlpExportOptions } from '../options/otlp-options.js';
import { RecordBuffer } from './record-buffer.js';
import { SlicedMapping } from './sliced-mapping.js';
import { DiskSpool } from './spool/disk-spool.js';
import type { SpoolPipeline } from './spool/disk-spool.js';
import { DEFAULT_SPOOL_MAX_BYTES } from '../options/otlp-option-table.js';
import { isProtobufExport, resolveOtlpOptions } from '../options/resolve-otlp-options.js';
import type { ResolvedOtlpOptions } from '../options/resolve-otlp-options.js';

/**
 * Hands every line of `source` (pino-abstract-transport's line stream) to `onLine`, in order,
 * and settles when the stream ends: resolves at its end (or close), rejects on its error or
 * when `onLine` throws. When `onLine` returns a promise, the stream is paused until it
 * settles; that is the transport's backpressure.
 *
 * Listening to `'data'` rather than iterating the stream with `for await`: the async iterator
 * costs a promise and a microtask per line. In a 100k-line pino burst, a transport that only
 * counts lines peaked at 180 MiB instead of 202 and took them in 553 ms instead of 610
 * (medians; `npm run bench -- intake`).
 */
export function consumeLines(
  source: Readable,
  onLine: (line: string) => Promise<void> | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: unknown): void => {
      source.off('data', take);
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    function take(line: string): void {
      let wait: Promise<void> | undefined;
      try {
        wait = onLine(line);
      } catch (error) {
        fail(error);
        return;
      }
      if (wait === undefined) return;
      source.pause();
      wait.then(() => source.resume(), fail);
    }
    source.on('data', take);
    source.once('end', resolve);
    // Destroyed before its end (the worker terminated): nothing more comes.
    source.once('close', resolve);
    source.once('error', fail);
  });
}

// thread-stream's flushSync and end() give up on a worker that reads nothing for 10 s: the
// writer — the main thread at exit — is never kept waiting for room longer than half that.
const MAX_WRITER_WAIT_MILLIS = 5000;

/** The line source of pino-abstract-transport, with pino's configuration when it sends it. */
export type LineSource = Readable & {
  levels?: { values?: Record<string, number> };
  messageKey?: string;
  errorKey?: string;
};

/** How a line transport turns its lines into records `R`, and where they go. */
export interface LineTransportParts<R> {
  /** The pipeline the records go to, made once from the resolved options. */
  readonly createPipeline: (options: ResolvedOtlpOptions) => SpoolPipeline<R>;
  /** Asked once, when the source (and pino's configuration) is known, for the line mapper. */
  readonly mapperFor: (source: LineSource) => (line: string) => R;
  /** Whether the writer is pino, which sends its configuration to the worker. */
  readonly expectPinoConfig: boolean;
  /**
   * Map the lines held in memory a slice at a time, in later turns of the worker's event loop
   * ({@link SlicedMapping}), rather than as the buffer takes them. For a mapper costly enough
   * to hold up the reading of the writer's next chunk (the winston worker parses, maps and
   * encodes). A disk spool maps as it reads its blocks back, between reads, either way.
   * @default false
   */
  readonly mapInSlices?: boolean;
  /** Checks the transport's own options (the OTLP ones are resolved here); throws if invalid. */
  readonly checkOptions?: () => void;
}

/**
 * A worker-thread transport reading newline-delimited records (from pino, or from the
 * winston transport) and shipping them through a pipeline (`createPipeline`). `mapperFor` is
 * asked once for the line mapper, when the source (and pino's configuration) is known.
 * Received lines are held in a bounded {@link RecordBuffer} — or, with the `spool` option, on
 * disk ({@link DiskSpool}); at the end of the stream — the process exiting — the transport
 * delivers within the exit budget and reports what it could not (and what stays spooled).
 */
export function buildLineTransport<R>(options: OtlpExportOptions, parts: LineTransportParts<R>) {
  const { createPipeline, mapperFor, expectPinoConfig } = parts;
  configureDiagFromEnv();
  let resolved: ResolvedOtlpOptions;
  let pipeline: ReturnType<typeof createPipeline>;
  try {
    resolved = resolveOtlpOptions(options);
    parts.checkOptions?.();
    pipeline = createPipeline(resolved);
  } catch (error) {
    return buildRefusingTransport(error, expectPinoConfig);
  }
  let mapLine: ((line: string) => R) | undefined;
  const spool =
    resolved.spool === undefined || resolved.disabled
      ? undefined
      : new DiskSpool<R>({
          pipeline,
          directory: resolved.spool.directory,
          maxBytes: resolved.spool.maxBytes ?? DEFAULT_SPOOL_MAX_BYTES,
          kind: spoolKind(expectPinoConfig, resolved),
          maxPendingBytes: resolved.maxBufferedBytes,
          whenFull: resolved.whenFull,
          maxWaitMillis: Math.min(resolved.exitBudgetMillis, MAX_WRITER_WAIT_MILLIS),
        });
  const map = (line: string): R => (mapLine as (line: string) => R)(line);
  const bounds = {
    // One byte per character: V8 holds a line of Latin-1 text (log lines, nearly always) in
    // one byte per character, within the chunk it was cut from; other text takes two.
    sizeOf: (line: string) => line.length,
    maxBufferedBytes: resolved.maxBufferedBytes,
    whenFull: resolved.whenFull,
    maxWaitMillis: Math.min(resolved.exitBudgetMillis, MAX_WRITER_WAIT_MILLIS),
  };
  const buffer = parts.mapInSlices
    ? new RecordBuffer<string, string>({
        ...bounds,
        pipeline: new SlicedMapping(pipeline, map),
        map: (line) => line,
      })
    : new RecordBuffer<string, R>({ ...bounds, pipeline, map });
  // Another transport of the process began to exit: deliver what is held now, while the
  // process waits for that one, so the shared deadline finds little here.
  const stopListening = onExitDeadline((deadline) => void pipeline.flushUntil(deadline));

  return build(
    async (source: LineSource) => {
      mapLine = mapperFor(source);
      spool?.start(mapLine);
      const intake = spool ?? buffer;
      const waits = resolved.whenFull === 'wait';
      await consumeLines(source, (line) => {
        intake.push(line);
        return waits && intake.isFull() ? intake.whenNotFull() : undefined;
      });
    },
    {
      parse: 'lines',
      // The default parses each line and silently drops one that is not JSON; keep every line
      // (parsePinoLine ships an unreadable one as a raw message).
      parseLine: (line: string) => line,
      expectPinoConfig,
      // The writer ends the stream at exit and waits for this worker (thread-stream: up to
      // 10 s): finish within the exit budget, delivering what can be, reporting the rest.
      close: async () => {
        stopListening();
        try {
          // One budget per process, however many transports it has (see exit-deadline.ts).
          if (spool !== undefined) {
            await spool.closeUntil(beginExit(Date.now() + resolved.exitBudgetMillis));
          } else {
            await buffer.closeUntil(beginExit(buffer.exitDeadline(resolved.exitBudgetMillis)));
          }
        } catch (error) {
          // Never a silent loss: whatever failed here, say so where the operator looks.
          writeStderrLine(`tracelink: closing the OTLP transport failed: ${describeError(error)}`);
          pipeline.reportLoss();
        }
      },
    },
  );
}

/**
 * The transport of a worker whose options are invalid (or whose exporter cannot be made from
 * them). Throwing would end the worker, and thread-stream would turn that into an 'error' on
 * the app's thread that no try/catch there can catch: the app would crash a moment after
 * start, or at its next log call ("the worker has exited"), without the reason. Instead it
 * says why at once, on one stderr line naming the option, what it takes and what it was
 * given; then takes every line and counts it as dropped (`invalid-options`), reported at exit
 * in the usual loss report.
 */
function buildRefusingTransport(error: unknown, expectPinoConfig: boolean) {
  const reason =
    error instanceof InvalidOptionError
      ? error.message.replace(/^tracelink: /, '')
      : `the OTLP exporter cannot be made from the options: ${describeError(error)}`;
  writeStderrLine(
    `tracelink: ${reason}; the OTLP transport sends no record: each is counted as dropped (invalid-options)`,
  );
  const stats = new DeliveryStats();
  // The app's thread reads these counts too (stats()): every record dropped, none delivered.
  shareStats(stats.counters);
  return build(
    (source: LineSource) =>
      consumeLines(source, () => {
        stats.received++;
        stats.drop('invalid-options', 1);
        return undefined;
      }),
    {
      parse: 'lines',
      parseLine: (line: string) => line,
      expectPinoConfig,
      close: () => {
        const summary = stats.lossSummary('the collector');
        if (summary !== undefined) {
          writeStderrLine(`${summary}; ${reason}`);
          diag.error(summary);
        }
        // pino-abstract-transport finishes the stream when a returned promise settles.
        return Promise.resolve();
      },
    },
  );
}

/**
 * What a spool's lines are, so that a spool folder a gone process left is taken over only by a
 * transport that reads its lines: pino's own lines, or the winston transport's — mapped
 * records as JSON, or encoded as protobuf (the choice `recordLineFormatFor` makes on the
 * logging thread, from the same options).
 */
function spoolKind(pino: boolean, options: ResolvedOtlpOptions): string {
  if (pino) return 'pino';
  return isProtobufExport(options) ? 'winston-protobuf' : 'winston-json';
}
