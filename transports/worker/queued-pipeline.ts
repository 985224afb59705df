import { diag } from '@opentelemetry/api';
import { DeliveryReporter } from './report/delivery-reporter.js';
import { DeliveryStats } from './report/delivery-stats.js';
import { destinationOf } from './report/destination.js';
import { reportLoss } from './report/loss-report.js';
import { ExportQueue } from './export-queue.js';
import type { BatchExporter, SettledListener } from './export-queue.js';
import { shareStats } from './report/share-stats.js';
import { tlsFileProblems } from './report/tls-files.js';
import type { RejectionListener } from '../encode/logs-serializers.js';
import type { ResolvedOtlpOptions } from '../options/resolve-otlp-options.js';
import { redactCredentials, writeStderrLine } from '../stderr.js';

/**
 * The part of a pipeline a transport's {@link RecordBuffer} feeds: records of type `In` in,
 * room (backpressure), flush and shutdown within a deadline, and the delivery counts.
 */
export interface PipelineInput<In> {
  readonly stats: DeliveryStats;
  /**
   * Hands one record to the queue. With `whenFull: 'wait'`, check {@link hasSpace} first.
   * `receivedBytes`: the size of what the record was received as (a line: one per
   * character), from which the pipeline estimates its exported size.
   */
  emit(record: In, receivedBytes?: number): void;
  /** Whether the queue takes one more record now. */
  hasSpace(): boolean;
  /** Resolves when the queue takes one more record. */
  whenSpace(): Promise<void>;
  /** Delivers everything held; resolves when delivered or at `deadline` (epoch ms). */
  flushUntil(deadline: number): Promise<boolean>;
  /** Delivers what it can until `deadline`, then stops, reporting what was not delivered. */
  shutdownUntil(deadline: number): Promise<void>;
}

/**
 * What both of the transports' pipelines share: an {@link ExportQueue} of `Queued` items in
 * front of an exporter, the delivery counts (shared with the app's thread), the reports —
 * TLS files that cannot serve at start, failures and recovery while running
 * ({@link DeliveryReporter}), the loss at exit — and `OTEL_SDK_DISABLED` (a disabled pipeline
 * takes every record and queues none). A pipeline turns each record it is handed (`In`) into
 * a queued item its own way (`accept`).
 */
export abstract class QueuedPipeline<In, Queued> implements PipelineInput<In> {
  readonly stats = new DeliveryStats();
  protected readonly queue: ExportQueue<Queued>;
  /** Where the records go, credentials redacted: every report names it so. */
  private readonly destination: string;
  private readonly reporter: DeliveryReporter;

  /**
   * @param exporterFor makes the exporter, given the listener that counts the records a
   *   collector's answer says it rejected (partial success).
   */
  constructor(
    protected readonly options: ResolvedOtlpOptions,
    exporterFor: (onRejected: RejectionListener) => BatchExporter<Queued>,
  ) {
    this.destination = destinationOf(options);
    this.reporter = new DeliveryReporter({
      destination: this.destination,
      protocol: options.protocol,
      stats: this.stats,
    });
    shareStats(this.stats.counters);
    this.stats.disabled = options.disabled;
    if (options.exporter === 'otlp' && !options.disabled) {
      for (const problem of tlsFileProblems()) report(problem, 'error');
    }
    this.queue = new ExportQueue({
      exporter: exporterFor(this.countRejected),
      maxQueueSize: options.maxQueueSize,
      maxExportBatchSize: options.maxExportBatchSize,
      maxExportBatchBytes: options.maxExportBatchBytes,
      scheduledDelayMillis: options.scheduledDelayMillis,
      maxConcurrentExports: options.maxConcurrentExports,
      stats: this.stats,
      listener: this.reporter,
    });
    if (options.disabled)
      diag.info('tracelink: OTEL_SDK_DISABLED is true; log records are not exported');
  }

  // Called while the export delegate reads the answer, before it reports the export a
  // success, which counts the whole batch delivered: those records were not.
  private readonly countRejected: RejectionListener = (rejected, message) => {
    this.stats.drop('rejected', rejected);
    this.stats.delivered -= rejected;
    const why = message === undefined ? '' : `: ${message}`;
    this.stats.lastError = redactCredentials(
      `the collector rejected ${rejected} records of a request${why}`,
    );
    this.reporter.recordsRejected(rejected, message);
  };

  emit(record: In, receivedBytes = 0): void {
    if (!this.options.disabled) this.accept(record, receivedBytes);
  }

  /**
   * Turns one record into a queued item and hands it to the queue (the SDK is enabled), with
   * its estimated exported size (see {@link PipelineInput.emit}).
   */
  protected abstract accept(record: In, receivedBytes: number): void;

  hasSpace(): boolean {
    return this.options.disabled || this.queue.hasSpace();
  }

  whenSpace(): Promise<void> {
    return this.options.disabled ? Promise.resolve() : this.queue.whenSpace();
  }

  flushUntil(deadline: number): Promise<boolean> {
    return this.queue.flushUntil(deadline);
  }

  async shutdownUntil(deadline: number): Promise<void> {
    await this.queue.shutdownUntil(deadline);
    this.reportLoss();
  }

  /** The number the next record handed to the queue gets (see {@link SettledListener}). */
  get pushed(): number {
    return this.queue.pushed;
  }

  /** Tells `listener` which records the queue is done with (the disk spool forgets them). */
  onSettled(listener: SettledListener): void {
    this.queue.onSettled(listener);
  }

  /** Reports undelivered records, if any, once; the live reports stop. */
  reportLoss(): void {
    this.reporter.stop();
    reportLoss(this.stats, this.destination);
  }
}

/** A report, on stderr (which the operator sees) and through `diag` (which the app may route). */
function report(line: string, level: 'error' | 'warn'): void {
  writeStderrLine(line);
  diag[level](line);
}
