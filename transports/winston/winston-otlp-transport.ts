import { join } from 'node:path';
import type { SeverityNumber } from '@opentelemetry/api-logs';
import * as onExit from 'on-exit-leak-free';
import ThreadStream from 'thread-stream';
import type { Logger } from 'winston';
import TransportStream from 'winston-transport';
import type { TransportStreamOptions } from 'winston-transport';
import { mapWinstonRecord, resolveWinstonMapping } from '../mapping/winston.js';
import type { MappedLogRecord } from '../mapping/mapped-log-record.js';
import type { ResolvedWinstonMapping } from '../mapping/winston.js';
import { reportProblem } from '../../src/core/report-problem.js';
import { captureTraceContext } from '../../src/winston/capture-trace-context.js';
import type { OtlpExportOptions } from '../options/otlp-options.js';
import { describeError } from '../stderr.js';
import { resolveOtlpOptions } from '../options/resolve-otlp-options.js';
import { writeStderrLine } from '../stderr.js';
import type { OtlpWorkerData } from './otlp-worker.js';
import { ProtobufRecordLines } from './record-line.js';
import { LineCoalescer } from './line-coalescer.js';
import { recordLineFormatFor } from './record-line.js';
import { toRecordLine } from './record-line.js';

/** Options of {@link WinstonOtlpTransport}: winston's transport options plus the OTLP options. */
export interface WinstonOtlpTransportOptions extends TransportStreamOptions, OtlpExportOptions {
  /** Severity for level names, over the default placement. @default {} */
  readonly severityOverrides?: Readonly<Record<string, SeverityNumber>>;
  /** Nested objects as dotted attribute keys (`a.b.c`) instead of maps. @default false */
  readonly flattenAttributes?: boolean;
}

// The built worker module, beside this file (this entry point ships as CommonJS only).
const WORKER_FILE = join(__dirname, 'otlp-worker.js');
/** The size of the buffer the main thread shares with the worker (thread-stream's `bufferSize`). */
const SHARED_BUFFER_BYTES = 256 * 1024;

/** A transport's stream to its worker, and the lines gathered for it. */
interface WorkerLink {
  readonly stream: WorkerStream;
  readonly lines: LineCoalescer;
}

/**
 * Every transport's link to its worker until the worker has closed, held strongly.
 * on-exit-leak-free holds the link only weakly, and thread-stream terminates the worker of a
 * stream that is garbage collected: an application that no longer references its logger — a script whose last log
 * call has run and whose event loop is draining — would otherwise lose every record the
 * worker still holds (waiting for its batch, or for the collector) as soon as a GC ran before
 * exit, with no report, since the exit hook no longer runs. Held here, such a transport is
 * ended at exit like any other. The cost: a transport dropped without `close()` (or
 * `logger.end()`) keeps its idle, unref'd worker until the process exits.
 */
const OPEN_LINKS = new Set<WorkerLink>();

/**
 * A winston transport that ships every record as an OTLP log record to an OpenTelemetry
 * Collector. Records are mapped on the call's thread — with the trace context captured at
 * the log call: the transport wraps its logger with `captureTraceContext` when added — and,
 * over OTLP/HTTP protobuf or gRPC, encoded there too ({@link ProtobufRecordLines}); they are
 * exported from a worker thread, which keeps exporting off the event loop and lets a bare
 * `process.exit()` wait for delivery (within `exitBudgetMillis`). `logger.end()` followed by
 * `'finish'` means every record was exported or counted and reported as undelivered.
 *
 * @example
 * ```ts
 * import winston from 'winston';
 * import { WinstonOtlpTransport } from 'tracelink/winston-transport';
 *
 * const logger = winston.createLogger({
 *   transports: [new WinstonOtlpTransport({ endpoint: 'http://localhost:4318/v1/logs', serviceName: 'api' })],
 * });
 * ```
 */
export class WinstonOtlpTransport extends TransportStream {
  private readonly stream: WorkerStream;
  /** Lines on their way to the worker, handed over in chunks. */
  private readonly lines: LineCoalescer;
  private readonly link: WorkerLink;
  /** The line the worker reads for a mapped record (without the newline). */
  private readonly lineOf: (record: MappedLogRecord) => string;
  private readonly mappingOptions: WinstonOtlpTransportOptions;
  private mapping: ResolvedWinstonMapping | undefined;
  private mappedLevels: unknown;
  private finalizing = false;

  constructor(options: WinstonOtlpTransportOptions = {}) {
    super(options);
    const resolved = resolveOtlpOptions(options); // invalid options throw here, not in the worker
    this.mappingOptions = options;
    const lineFormat = recordLineFormatFor(resolved);
    if (lineFormat === 'protobuf') {
      const lines = new ProtobufRecordLines();
      this.lineOf = (record) => lines.lineOf(record);
    } else {
      this.lineOf = toRecordLine;
    }
    const workerData: OtlpWorkerData = { options: workerOptionsOf(options), lineFormat };
    this.stream = new ThreadStream({
      filename: WORKER_FILE,
      workerData,
      // Synchronous writes into the shared buffer: the main thread holds no more than a chunk
      // of lines (LineCoalescer), so memory stays bounded (100k burst: peak RSS 171-181 MiB vs
      // 230-237 MiB async, all delivered in 1.3 s vs 1.8-3.9 s). It waits only while the
      // worker's own buffer (maxBufferedBytes) is full, i.e. the collector takes nothing — at
      // most 5 s, then drops.
      sync: true,
      // The shared buffer is only the pipe: the worker's own buffer holds an outage's records.
      // In a burst every page of it is touched: 1 MiB instead of thread-stream's usual 4 MiB
      // lowered the peak RSS of a 100k burst by about 2 MiB, 256 KiB (4 chunks) by about 2
      // more, each no slower (4–5 interleaved runs; `npm run bench -- transports` with
      // BENCH_BASELINE_DIR measures such an A/B on the tl-winston rows).
      bufferSize: Math.min(resolved.maxBufferedBytes, SHARED_BUFFER_BYTES),
    }) as WorkerStream;
    // A failed worker loses what it held: say so on stderr too, not only through `diag`
    // (which is silent unless the application set a diag logger).
    this.stream.on('error', (error: unknown) => {
      writeStderrLine(
        `tracelink: the OTLP transport's worker failed (${describeError(error)}); ` +
          'records it held and records logged from now on are not delivered',
      );
      reportProblem('the OTLP transport worker', 'records written from now on are lost', error);
    });
    this.lines = new LineCoalescer((chunk) => this.stream.write(chunk));
    // At exit — even before the worker has started — hand everything to the worker and wait
    // for it; it keeps to the exit budget.
    const link: WorkerLink = { stream: this.stream, lines: this.lines };
    this.link = link;
    onExit.register(link, endAtExit);
    // ...which needs the link still there at exit: see OPEN_LINKS.
    OPEN_LINKS.add(link);
    // Idle, the worker must not keep the process alive; once ending, it must (see _final).
    this.stream.on('ready', () => {
      if (!this.finalizing) this.stream.unref();
    });
    this.stream.on('close', () => {
      OPEN_LINKS.delete(link);
      onExit.unregister(link);
    });
    // Capture the context at the call for the logger this transport is added to.
    this.on('pipe', (logger: Logger) => captureTraceContext(logger));
  }

  override log(info: object, callback: () => void): void {
    let line: string;
    try {
      line = this.lineOf(mapWinstonRecord(info, this.mappingFor()));
    } catch (error) {
      reportProblem('mapping a winston record', 'the record is not shipped', error);
      callback();
      return;
    }
    // Records are handed over before the logging code's next turn (or with the next chunk):
    // held by thread-stream until the worker reads them, and by the coalescer until then, which
    // the exit hook flushes — so `process.exit()` can still deliver them (records left in
    // winston's own buffer could not be).
    this.lines.push(line);
    callback();
  }

  override close(): void {
    endLink(this.link);
  }

  /** winston ends its transports on `logger.end()`; 'finish' waits for the worker. */
  override _final(callback: (error?: Error | null) => void): void {
    if (this.stream.closed) return callback();
    // Keep the process alive until the worker has exported everything and closed.
    this.finalizing = true;
    this.stream.ref();
    this.stream.once('close', () => callback());
    endLink(this.link);
  }

  private mappingFor(): ResolvedWinstonMapping {
    // winston hands its logger's levels to the transport (`this.levels`) when it is added.
    const levels = (this as { levels?: Record<string, number> }).levels;
    if (this.mapping === undefined || this.mappedLevels !== levels) {
      this.mappedLevels = levels;
      this.mapping = resolveWinstonMapping({
        levels,
        severityOverrides: this.mappingOptions.severityOverrides,
        flattenAttributes: this.mappingOptions.flattenAttributes,
      });
    }
    return this.mapping;
  }
}

/** thread-stream's stream, with the members its type declarations leave out. */
type WorkerStream = ThreadStream & { ref(): void; unref(): void; readonly closed: boolean };

function endAtExit({ stream, lines }: WorkerLink): void {
  if (stream.closed) return;
  lines.flush();
  stream.ref();
  stream.flushSync();
  stream.end();
}

/** Ends the worker's stream after the lines still gathered: ending first would lose them. */
function endLink({ stream, lines }: WorkerLink): void {
  lines.flush();
  stream.end();
}

// The OTLP options, which alone cross to the worker (winston's own options hold functions).
const OTLP_OPTION_KEYS = [
  'endpoint',
  'protocol',
  'headers',
  'compression',
  'timeoutMillis',
  'serviceName',
  'resource',
  'maxQueueSize',
  'maxExportBatchSize',
  'maxExportBatchBytes',
  'scheduledDelayMillis',
  'maxConcurrentExports',
  'maxBufferedBytes',
  'whenFull',
  'exitBudgetMillis',
  'exporter',
  'disabled',
] as const satisfies readonly (keyof OtlpExportOptions)[];

function workerOptionsOf(options: WinstonOtlpTransportOptions): OtlpExportOptions {
  const picked: Record<string, unknown> = {};
  for (const key of OTLP_OPTION_KEYS) picked[key] = options[key];
  // Through JSON: only plain data can be posted to a worker.
  return JSON.parse(JSON.stringify(picked)) as OtlpExportOptions;
}
