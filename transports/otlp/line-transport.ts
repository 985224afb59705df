import type { Readable } from 'node:stream';
import build from 'pino-abstract-transport';
import { consumeLines } from './consume-lines.js';
import { describeError } from './describe-error.js';
import { configureDiagFromEnv } from './diag-from-env.js';
import type { OtlpTransportOptions } from './otlp-transport-options.js';
import type { PipelineInput } from './queued-pipeline.js';
import { RecordBuffer } from './record-buffer.js';
import { resolveOtlpOptions } from './resolve-otlp-options.js';
import type { ResolvedOtlpOptions } from './resolve-otlp-options.js';
import { writeStderrLine } from './write-stderr.js';

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
export function buildLineTransport<R>(options: OtlpTransportOptions, parts: LineTransportParts<R>) {
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
