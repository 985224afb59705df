import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SeverityNumber } from '@opentelemetry/api-logs';
import * as onExit from 'on-exit-leak-free';
import ThreadStream from 'thread-stream';
import type { Logger } from 'winston';
import TransportStream from 'winston-transport';
import type { TransportStreamOptions } from 'winston-transport';
import { resolveWinstonMapping } from '../mapping/winston.js';
import type { ResolvedWinstonMapping } from '../mapping/winston.js';
import { reportProblem } from '../../src/core/report-problem.js';
import { captureTraceContext } from '../../src/winston/capture-trace-context.js';
import type { OtlpExportOptions } from '../options/otlp-options.js';
import { describeError } from '../stderr.js';
import { resolveOtlpOptions } from '../options/resolve-otlp-options.js';
import { otlpOptionsOf, workerOptionsOf } from '../options/otlp-option-table.js';
import { writeStderrLine } from '../stderr.js';
import { WorkerStatsView } from '../transport-stats.js';
import type { TransportStats } from '../transport-stats.js';
import type { OtlpWorkerData } from './otlp-worker.js';
import { LineCoalescer } from './line-coalescer.js';
import { recordLineFormatFor, RecordLineWriter } from './record-line.js';

/** Options of {@link WinstonOtlpTransport}: winston's transport options plus the OTLP options. */
export interface WinstonOtlpTransportOptions extends TransportStreamOptions, OtlpExportOptions {
  /** Severity for level names, over the default placement. @default {} */
  readonly severityOverrides?: Readonly<Record<string, SeverityNumber>>;
  /** Nested objects as dotted attribute keys (`a.b.c`) instead of maps. @default false */
  readonly flattenAttributes?: boolean;
  /** A `log.record.uid` (a ULID) on each record, the same in every retry. @default false */
  readonly recordUid?: boolean;
}

// The built worker module, beside this file: in the ESM build the ESM worker, in the CommonJS
// build the CommonJS one, so a process loads one copy of the shared modules either way.
const WORKER_FILE = join(ownDirectory(), 'otlp-worker.js');
/** The size of the buffer the main thread shares with the worker (thread-stream's `bufferSize`). */
const SHARED_BUFFER_BYTES = 1024 * 1024;

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
 * Collector. The call's thread does only what must be done there: it reads the ids of the
 * span active at the log call (the transport wraps its logger with `captureTraceContext` when
 * added), the level's severity and the time, and hands the record to a worker thread as one
 * line, `JSON.stringify(info)` behind a short header ({@link RecordLineWriter}); a record
 * that holds more than plain data (an Error, a Buffer, a Map, …) is mapped on the call's
 * thread instead. The worker maps, encodes and exports, which keeps that work off the event
 * loop and lets a bare `process.exit()` wait for delivery (within `exitBudgetMillis`). `logger.end()` followed by
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
  /** Writes each record as the line its worker reads. */
  private readonly lineWriter = new RecordLineWriter();
  private readonly mappingOptions: WinstonOtlpTransportOptions;
  private mapping: ResolvedWinstonMapping | undefined;
  private mappedLevels: unknown;
  private finalizing = false;
  /** The worker's counters, and the records handed to it (counted here: some are on their way). */
  private readonly statsView: WorkerStatsView;
  private handed = 0;

  constructor(options: WinstonOtlpTransportOptions = {}) {
    super(options);
    // Invalid or unknown options throw here, not in the worker.
    const resolved = resolveOtlpOptions(otlpOptionsOf(options, WINSTON_OWN_OPTIONS));
    this.mappingOptions = options;
    // ...and so do the mapping's (severityOverrides, flattenAttributes), not at the first record.
    this.mappingFor();
    const workerData: OtlpWorkerData = {
      options: workerOptionsOf(options),
      lineFormat: recordLineFormatFor(resolved),
      flattenAttributes: options.flattenAttributes,
      recordUid: options.recordUid,
    };
    this.stream = new ThreadStream({
      filename: WORKER_FILE,
      workerData,
      // Synchronous writes into the shared buffer: the main thread holds no more than a chunk
      // of lines (LineCoalescer), so memory stays bounded (100k burst: peak RSS 171-181 MiB vs
      // 230-237 MiB async, all delivered in 1.3 s vs 1.8-3.9 s). The worker always reads (its
      // own buffer drops what does not fit), but thread-stream's buffer is not a ring: when
      // the writer reaches its end, it waits until the worker has read all of it.
      sync: true,
      // The shared buffer is only the pipe: the worker's own buffer holds an outage's records.
      // In a burst every page of it is touched, and the writer waits at each wrap for the
      // worker's next read — which, with the worker mapping and encoding the lines, comes after
      // a slice of that work, a batch's export or a GC. 1 MiB instead of 256 KiB halved the
      // logging thread's wait in thread-stream's write during a 100k burst to the real
      // collector, for about 3 MiB more peak RSS (the `tl-winston` scenario of `npm run
      // bench -- transports`, 6 interleaved runs of each, the write timed on its own).
      bufferSize: Math.min(resolved.maxBufferedBytes, SHARED_BUFFER_BYTES),
    }) as WorkerStream;
    // Before the worker can post its counters: it does as it starts.
    this.statsView = new WorkerStatsView(this.stream, false);
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
      line = this.lineWriter.lineOf(info, this.mappingFor());
    } catch (error) {
      // Only resolving the mapping can throw (levels that are no level set).
      reportProblem('mapping a winston record', 'the record is not shipped', error);
      callback();
      return;
    }
    // Records are handed over before the logging code's next turn (or with the next chunk):
    // held by thread-stream until the worker reads them, and by the coalescer until then, which
    // the exit hook flushes — so `process.exit()` can still deliver them (records left in
    // winston's own buffer could not be).
    this.lines.push(line);
    this.handed++;
    callback();
  }

  /**
   * The delivery counts now, at any time: records received (handed to this transport and
   * written for its worker), delivered, in flight, buffered (here, on their way to the worker, or in it),
   * dropped by reason, whether exports are failing and the last error. The worker shares its
   * counters through memory: a call costs no message and no work in the worker.
   *
   * @example
   * ```ts
   * const transport = new WinstonOtlpTransport({ endpoint });
   * setInterval(() => metrics.set(transport.stats().dropped), 10_000).unref();
   * ```
   */
  stats(): TransportStats {
    return this.statsView.read(this.handed);
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
        recordUid: this.mappingOptions.recordUid,
        fields: this.mappingOptions.fields,
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

// The options this transport reads itself, winston's among them: every other name is an OTLP
// option (the compiler checks this list against WinstonOtlpTransportOptions), and only the
// OTLP options cross to the worker (workerOptionsOf: winston's own options hold functions).
const WINSTON_OWN_OPTIONS = {
  format: true,
  level: true,
  silent: true,
  handleExceptions: true,
  handleRejections: true,
  log: true,
  logv: true,
  close: true,
  severityOverrides: true,
  flattenAttributes: true,
  recordUid: true,
} as const satisfies Record<
  Exclude<keyof WinstonOtlpTransportOptions, keyof OtlpExportOptions>,
  true
>;

/**
 * The folder of this module, in either build. One source compiles to both, and neither way is
 * spelled in both: CommonJS has `__dirname` but cannot parse `import.meta` (a syntax error
 * there, not just a type error), and ESM has `import.meta.url` but no `__dirname`. Under ESM
 * the module's own frame names its file (a `file:` URL), which is how pino finds the caller of
 * `pino.transport()` (pino/lib/caller.js) on Node before `util.getCallSites`.
 */
function ownDirectory(): string {
  if (typeof __dirname === 'string') return __dirname;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be put back, never called
  const { prepareStackTrace, stackTraceLimit } = Error;
  try {
    Error.prepareStackTrace = (_error, frames) => frames;
    Error.stackTraceLimit = 1;
    const frames = new Error().stack as unknown as readonly NodeJS.CallSite[];
    const file = frames[0]?.getFileName() ?? '';
    return dirname(file.startsWith('file:') ? fileURLToPath(file) : file);
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}
