import type { Readable } from 'node:stream';
import build from 'pino-abstract-transport';
import { describeError, writeStderrLine } from '../stderr.js';
import { configureDiagFromEnv } from './diag-from-env.js';
import type { OtlpExportOptions } from '../options/otlp-options.js';
import type { PipelineInput } from './queued-pipeline.js';
import { RecordBuffer } from './record-buffer.js';
import { resolveOtlpOptions } from '../options/resolve-otlp-options.js';
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
  readonly createPipeline: (options: ResolvedOtlpOptions) => PipelineInput<R> & {
    reportLoss(): void;
  };
  /** Asked once, when the source (and pino's configuration) is known, for the line mapper. */
  readonly mapperFor: (source: LineSource) => (line: string) => R;
  /** Whether the writer is pino, which sends its configuration to the worker. */
  readonly expectPinoConfig: boolean;
}

/**
 * A worker-thread transport reading newline-delimited records (from pino, or from the
 * winston transport) and shipping them through a pipeline (`createPipeline`). `mapperFor` is
 * asked once for the line mapper, when the source (and pino's configuration) is known.
 * Received lines are held in a bounded {@link RecordBuffer}; at the end of the stream — the
 * process exiting — the transport delivers within the exit budget and reports what it could
 * not.
 */
export function buildLineTransport<R>(options: OtlpExportOptions, parts: LineTransportParts<R>) {
  const { createPipeline, mapperFor, expectPinoConfig } = parts;
  configureDiagFromEnv();
  const resolved = resolveOtlpOptions(options);
  const pipeline = createPipeline(resolved);
  let mapLine: ((line: string) => R) | undefined;
  const buffer = new RecordBuffer<string, R>({
    pipeline,
    map: (line) => (mapLine as (line: string) => R)(line),
    // UTF-16 code units, twice the length in bytes: close enough for a memory bound.
    sizeOf: (line) => line.length * 2,
    maxBufferedBytes: resolved.maxBufferedBytes,
    whenFull: resolved.whenFull,
    maxWaitMillis: Math.min(resolved.exitBudgetMillis, MAX_WRITER_WAIT_MILLIS),
  });

  return build(
    async (source: LineSource) => {
      mapLine = mapperFor(source);
      const waits = resolved.whenFull === 'wait';
      await consumeLines(source, (line) => {
        buffer.push(line);
        return waits && buffer.isFull() ? buffer.whenNotFull() : undefined;
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
        try {
          await buffer.closeUntil(buffer.exitDeadline(resolved.exitBudgetMillis));
        } catch (error) {
          // Never a silent loss: whatever failed here, say so where the operator looks.
          writeStderrLine(`tracelink: closing the OTLP transport failed: ${describeError(error)}`);
          pipeline.reportLoss();
        }
      },
    },
  );
}
