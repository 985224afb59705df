import type { LogRecordProcessor, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { reportProblem } from '../../../src/core/report-problem.js';
import type { TransportStats } from '../../transport-stats.js';
import { ExportQueue } from '../../worker/export-queue.js';
import type { PipelineInput } from '../../worker/queued-pipeline.js';
import { RecordBuffer } from '../../worker/record-buffer.js';
import { DeliveryReporter } from '../../worker/report/delivery-reporter.js';
import { DeliveryStats } from '../../worker/report/delivery-stats.js';
import { reportLoss } from '../../worker/report/loss-report.js';
import { onProcessExit } from '../exit-hooks.js';
import { resolveProcessorOptions } from './processor-options.js';
import type {
  QueuedLogRecordProcessorOptions,
  ResolvedProcessorOptions,
} from './processor-options.js';
import { snapshotRecord } from './record-snapshot.js';
import type { RecordSnapshot } from './record-snapshot.js';

// How long forceFlush() waits for delivery: the SDK's own bound on a provider's forceFlush
// (LoggerProvider's forceFlushTimeoutMillis default), past which it would give up on us anyway.
const FORCE_FLUSH_MILLIS = 30_000;

/**
 * tracelink's export queue as an sdk-logs `LogRecordProcessor`, in place of the SDK's
 * `BatchLogRecordProcessor` in NodeSDK's `logRecordProcessors` (or a `LoggerProvider`'s
 * `processors`), with or without tracelink's transports. Where the batch processor drops records
 * when its queue is full and forgets a batch whose export failed, this one holds them, bounded
 * (`maxBufferedBytes` in front of a `maxQueueSize` queue), retries a failed batch with backoff
 * until it is delivered, counts every record it does not deliver, by reason (`stats()`), and
 * says on stderr and through `diag` when exports fail, when they work again and what was lost.
 * At the natural end of the process it delivers what it holds (within `exitBudgetMillis`) —
 * the batch processor's timer does not keep the process alive for that —, and at
 * `process.exit()` it counts and reports what it could not.
 *
 * @throws {InvalidOptionError} when an option is invalid (an unknown name too).
 * @example
 * ```ts
 * import { NodeSDK } from '@opentelemetry/sdk-node';
 * import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
 * import { QueuedLogRecordProcessor } from 'tracelink/otel-logs';
 *
 * const sdk = new NodeSDK({
 *   logRecordProcessors: [new QueuedLogRecordProcessor({ exporter: new OTLPLogExporter() })],
 * });
 * sdk.start();
 * ```
 */
export class QueuedLogRecordProcessor implements LogRecordProcessor {
  private readonly options: ResolvedProcessorOptions;
  private readonly deliveryStats = new DeliveryStats();
  private readonly reporter: DeliveryReporter;
  private readonly queue: ExportQueue<ReadableLogRecord>;
  private readonly buffer: RecordBuffer<RecordSnapshot, ReadableLogRecord>;
  private closing: Promise<void> | undefined;
  private closed = false;
  /** The exit budget was spent at the natural end once: a second end does not start another. */
  private exitFlushStarted = false;
  private readonly removeExitHook: () => void;

  constructor(options: QueuedLogRecordProcessorOptions) {
    this.options = resolveProcessorOptions(options);
    const { exporter, destination } = this.options;
    const stats = this.deliveryStats;
    this.reporter = new DeliveryReporter({ destination, protocol: 'http/protobuf', stats });
    this.queue = new ExportQueue<ReadableLogRecord>({
      exporter,
      maxQueueSize: this.options.maxQueueSize,
      maxExportBatchSize: this.options.maxExportBatchSize,
      maxExportBatchBytes: this.options.maxExportBatchBytes,
      scheduledDelayMillis: this.options.scheduledDelayMillis,
      maxConcurrentExports: this.options.maxConcurrentExports,
      stats,
      listener: this.reporter,
    });
    this.buffer = new RecordBuffer<RecordSnapshot, ReadableLogRecord>({
      pipeline: this.pipeline(),
      map: (snapshot) => snapshot.record,
      sizeOf: (snapshot) => snapshot.size,
      maxBufferedBytes: this.options.maxBufferedBytes,
      // onEmit cannot make the log call wait: past the bound, the newest are dropped, counted.
      whenFull: 'drop',
      maxWaitMillis: 0,
    });
    this.removeExitHook = onProcessExit({
      beforeExit: () => this.deliverAtNaturalEnd(),
      exit: () => this.writeOffAtExit(),
    });
  }

  /** Takes a copy of the record (see `snapshotRecord`); never throws. */
  onEmit(logRecord: SdkLogRecord): void {
    if (this.closed) {
      this.deliveryStats.received++;
      this.deliveryStats.drop('after-shutdown', 1);
      return;
    }
    try {
      this.buffer.push(snapshotRecord(logRecord));
    } catch (error) {
      // Not expected: reading a record cannot fail. Counted, and reported.
      this.deliveryStats.received++;
      this.deliveryStats.drop('rejected', 1);
      reportProblem('copying a log record in onEmit', 'it is dropped, counted as rejected', error);
    }
  }

  /**
   * Delivers every record held, retrying failed exports; resolves when all are delivered, or
   * after 30 s (the SDK's own limit for a flush): what is not delivered by then stays held and
   * is still sent. Never rejects.
   */
  async forceFlush(): Promise<void> {
    await this.buffer.flushUntil(Date.now() + FORCE_FLUSH_MILLIS);
  }

  /**
   * Stops taking records, delivers what it holds within `exitBudgetMillis`, counts and
   * reports what is left, and shuts the exporter down. Calling it again returns the same
   * promise. Never rejects.
   */
  shutdown(): Promise<void> {
    this.closing ??= this.close(Date.now() + this.options.exitBudgetMillis);
    return this.closing;
  }

  /**
   * The delivery counts now: received, delivered, in flight, buffered, dropped by reason,
   * whether exports are failing and the last error (`spooled` is always 0).
   *
   * @example
   * ```ts
   * const { delivered, dropped, failing } = processor.stats();
   * ```
   */
  stats(): TransportStats {
    return this.deliveryStats.counters.snapshot();
  }

  private async close(deadline: number): Promise<void> {
    this.closed = true;
    this.removeExitHook();
    try {
      await this.buffer.closeUntil(deadline);
    } catch (error) {
      reportProblem('shutting the log record processor down', 'the counts include any loss', error);
    }
  }

  /** The part of a pipeline the buffer feeds: the queue, with the loss reported at its end. */
  private pipeline(): PipelineInput<ReadableLogRecord> {
    return {
      stats: this.deliveryStats,
      emit: (record, size = 0) => this.queue.push(record, size),
      hasSpace: () => this.queue.hasSpace(),
      whenSpace: () => this.queue.whenSpace(),
      flushUntil: (deadline) => this.queue.flushUntil(deadline),
      shutdownUntil: async (deadline) => {
        await this.queue.shutdownUntil(deadline);
        this.reporter.stop();
        reportLoss(this.deliveryStats, this.options.destination);
      },
    };
  }

  // The event loop is empty with records held: the batch timer (unref'd, as the SDK's is) would
  // let them go. Delivering them keeps the process alive until they are, or the budget ends.
  private deliverAtNaturalEnd(): void {
    if (
      this.closed ||
      this.exitFlushStarted ||
      this.stats().buffered + this.stats().inFlight === 0
    ) {
      return;
    }
    this.exitFlushStarted = true;
    void this.buffer.flushUntil(Date.now() + this.options.exitBudgetMillis);
  }

  // process.exit(), or the end after the budget: nothing async runs any more. What is held is
  // counted — in flight apart, as it may have arrived — and reported.
  private writeOffAtExit(): void {
    if (this.closed) return;
    this.closed = true;
    const stats = this.deliveryStats;
    const { buffered, inFlight } = this.stats();
    if (buffered > 0) stats.drop('undelivered-at-exit', buffered);
    if (inFlight > 0) {
      stats.drop('in-flight-at-exit', inFlight);
      stats.inFlight = 0;
    }
    this.reporter.stop();
    reportLoss(stats, this.options.destination);
  }
}
