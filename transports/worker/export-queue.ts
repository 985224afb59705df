import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { DeliveryStats } from './report/delivery-stats.js';
import { describeError, redactCredentials } from '../stderr.js';
import { reportProblem } from '../../src/core/report-problem.js';

// gRPC status RESOURCE_EXHAUSTED. With this text it means the message is past the server's
// size limit (grpc-go: "received message larger than max"); otherwise it is throttling.
const GRPC_RESOURCE_EXHAUSTED = 8;
const TOO_LARGE = /larger than max/i;

/**
 * Whether an export failure means the collector refused the data itself, so retrying the
 * same batch cannot succeed: an HTTP 4xx other than 408 (timeout) and 429 (throttled), per
 * the OTLP/HTTP spec's list of retryable statuses, or a gRPC message too large for the
 * server (batches are kept under `maxExportBatchBytes`, so that is a single record larger
 * than the collector takes). Anything else — no connection, 5xx, a timeout, throttling — is
 * worth retrying once the collector is back.
 */
export function isPermanentExportError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'number') return false;
  if (code === GRPC_RESOURCE_EXHAUSTED)
    return typeof message === 'string' && TOO_LARGE.test(message);
  return code >= 400 && code < 500 && code !== 408 && code !== 429;
}

/**
 * What the queue sends batches of `T` to: an sdk-logs `LogRecordExporter` (for sdk-logs
 * records), or the protobuf exporter, which also takes records that came encoded.
 */
export interface BatchExporter<T> {
  export(items: T[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

/**
 * Told which records the queue is done with — delivered, or dropped for good (rejected) — by
 * the number each got when pushed (from 0, in push order): records `first` to
 * `first + count - 1`. A disk spool forgets them then. Records still held at shutdown are not
 * reported: they are not done with.
 */
export type SettledListener = (first: number, count: number) => void;

/** Hears how each export ends, while the queue is open (a {@link DeliveryReporter}). */
export interface ExportListener {
  /** `records` failed; they are sent again (`retried`) or were dropped as rejected. */
  exportFailed(error: unknown, records: number, retried: boolean): void;
  exportSucceeded(): void;
}

/** Options of {@link ExportQueue}. */
export interface ExportQueueOptions<T> {
  readonly exporter: BatchExporter<T>;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  /** Bytes in one batch, at most, by the sizes given with the records (a larger record goes alone). */
  readonly maxExportBatchBytes: number;
  readonly scheduledDelayMillis: number;
  readonly maxConcurrentExports: number;
  readonly stats: DeliveryStats;
  /** Hears how each export ends. */
  readonly listener?: ExportListener;
}

// Backoff after a failed export (the exporter has already retried within its timeout):
// doubling from 500 ms to 5 s, so a collector that comes back is found within 5 s.
const FIRST_BACKOFF_MILLIS = 500;
const MAX_BACKOFF_MILLIS = 5000;

/**
 * The transports' export queue, in place of the SDK's BatchLogRecordProcessor: a bounded
 * queue of records (sdk-logs records, or records that came encoded) that never drops on its
 * own. The SDK's processor drops records when its queue is full and forgets a batch whose
 * export failed; this queue instead (1) tells the caller when it is full (`hasSpace`,
 * `whenSpace`) so the transport can apply backpressure, (2) keeps a failed batch and
 * retries it with backoff until it is delivered or the transport shuts down, and (3) counts
 * every record it could not deliver — at shutdown, those still in a request the collector
 * has not answered apart (`in-flight-at-exit`: they may have arrived) from those it never
 * sent (`undelivered-at-exit`). Several exports may be in flight at once.
 */
export class ExportQueue<T> {
  private readonly waiting: T[] = [];
  /** The size of each waiting record, in the same order, and their sum. */
  private readonly waitingSizes: number[] = [];
  private waitingBytes = 0;
  private readonly retries: T[][] = [];
  /** The batches in requests not answered yet. */
  private readonly inFlight = new Set<T[]>();
  /** Batches still in flight at shutdown, counted as `in-flight-at-exit` until they settle. */
  private readonly writtenOff = new Set<T[]>();
  private inFlightRecords = 0;
  private inFlightExports = 0;
  private backingOff = false;
  private backoffMillis = 0;
  private flushing = false;
  private closed = false;
  private scheduled: NodeJS.Timeout | undefined;
  private dueNow = false;
  private listeners: (() => void)[] = [];
  /** Records pushed so far, and taken into batches so far (see {@link SettledListener}). */
  private pushedCount = 0;
  private takenCount = 0;
  private readonly firstOf = new WeakMap<T[], number>();
  private settledListener: SettledListener | undefined;

  constructor(private readonly options: ExportQueueOptions<T>) {}

  /** Records held: waiting, waiting for a retry, or in flight. */
  get held(): number {
    let retrying = 0;
    for (const batch of this.retries) retrying += batch.length;
    return this.waiting.length + retrying + this.inFlightRecords;
  }

  /** Whether one more record fits. */
  hasSpace(): boolean {
    return this.held < this.options.maxQueueSize;
  }

  /** Resolves once one more record fits (or the queue is closed). */
  whenSpace(): Promise<void> {
    return this.when(() => this.closed || this.hasSpace());
  }

  /** Takes one record, with its size in bytes as exported (an estimate), for the byte bound. */
  push(record: T, size: number): void {
    const { stats } = this.options;
    if (this.closed) return stats.drop('after-shutdown', 1);
    if (!this.hasSpace()) return stats.drop('queue-full', 1);
    this.waiting.push(record);
    this.waitingSizes.push(size);
    this.waitingBytes += size;
    this.pushedCount++;
    this.pump();
  }

  /** The number the next pushed record gets (see {@link SettledListener}). */
  get pushed(): number {
    return this.pushedCount;
  }

  /** Tells `listener` of every batch the queue is done with from now on. */
  onSettled(listener: SettledListener): void {
    this.settledListener = listener;
  }

  /** Sends everything held and resolves when it is delivered, or at `deadline` (epoch ms). */
  async flushUntil(deadline: number): Promise<boolean> {
    this.flushing = true;
    this.pump();
    const timeLeft = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>(
      (resolve) => (timer = setTimeout(resolve, Math.max(0, timeLeft))),
    );
    await Promise.race([this.when(() => this.held === 0), timedOut]);
    clearTimeout(timer);
    this.flushing = false;
    return this.held === 0;
  }

  forceFlush(): Promise<void> {
    return this.flushUntil(Number.MAX_SAFE_INTEGER).then(() => undefined);
  }

  /**
   * Stops accepting records, tries until `deadline` to deliver what is held, counts the rest
   * — those in requests not answered yet as `in-flight-at-exit`, the others as
   * `undelivered-at-exit` — and shuts the exporter down.
   */
  async shutdownUntil(deadline: number): Promise<void> {
    await this.flushUntil(deadline);
    this.closed = true;
    clearTimeout(this.scheduled);
    const { stats } = this.options;
    const undelivered = this.held - this.inFlightRecords;
    if (undelivered > 0) stats.drop('undelivered-at-exit', undelivered);
    // Sent, and not answered: the collector may have them. Counted apart, and moved to
    // delivered (or undelivered) if the answer still comes before the process ends.
    for (const batch of this.inFlight) {
      stats.drop('in-flight-at-exit', batch.length);
      stats.inFlight -= batch.length;
      this.writtenOff.add(batch);
    }
    this.inFlight.clear();
    this.inFlightRecords = 0;
    this.waiting.length = 0;
    this.waitingSizes.length = 0;
    this.waitingBytes = 0;
    this.retries.length = 0;
    this.notify();
    // In-flight requests cannot be cancelled; the exporter's own timeout ends them.
    // A rejected shutdown (a request aborted mid-flight) must not fail the close: the counts
    // above already say what was not delivered.
    const shutdown = this.options.exporter.shutdown().catch((error: unknown) => {
      reportProblem(
        'shutting the OTLP exporter down',
        'the counts already include any loss',
        error,
      );
    });
    await Promise.race([shutdown, sleep(Math.max(0, deadline - Date.now()))]);
  }

  shutdown(): Promise<void> {
    return this.shutdownUntil(Date.now() + 30_000);
  }

  private pump(): void {
    const { maxConcurrentExports, scheduledDelayMillis } = this.options;
    while (!this.backingOff && this.inFlightExports < maxConcurrentExports) {
      const batch = this.nextBatch();
      if (batch === undefined) break;
      this.send(batch);
    }
    if (this.waiting.length > 0 && this.scheduled === undefined && !this.closed) {
      this.scheduled = setTimeout(() => {
        this.scheduled = undefined;
        this.dueNow = true;
        this.pump();
      }, scheduledDelayMillis);
      // A pending partial batch must not keep the process alive: exit paths flush explicitly.
      this.scheduled.unref();
    }
  }

  private nextBatch(): T[] | undefined {
    const retry = this.retries.shift();
    if (retry !== undefined) return retry;
    if (this.waiting.length === 0) {
      this.dueNow = false;
      return undefined;
    }
    const { maxExportBatchSize, maxExportBatchBytes } = this.options;
    const full =
      this.waiting.length >= maxExportBatchSize || this.waitingBytes >= maxExportBatchBytes;
    if (!full && !this.dueNow && !this.flushing) return undefined;
    // As many as fit both bounds; at least one, so a record larger than the byte bound goes
    // alone (and the collector decides) rather than blocking the queue.
    let count = 1;
    let bytes = this.waitingSizes[0] ?? 0;
    while (count < this.waiting.length && count < maxExportBatchSize) {
      const next = bytes + (this.waitingSizes[count] ?? 0);
      if (next > maxExportBatchBytes) break;
      bytes = next;
      count++;
    }
    this.waitingSizes.splice(0, count);
    this.waitingBytes -= bytes;
    // The waiting records are in push order: a batch is the next `count` numbers.
    const batch = this.waiting.splice(0, count);
    this.firstOf.set(batch, this.takenCount);
    this.takenCount += count;
    return batch;
  }

  private send(batch: T[]): void {
    this.inFlightExports++;
    this.inFlightRecords += batch.length;
    this.inFlight.add(batch);
    this.options.stats.inFlight += batch.length;
    let settled = false;
    const done = (result: ExportResult): void => {
      if (settled) return;
      settled = true;
      this.inFlightExports--;
      if (this.writtenOff.delete(batch)) return this.settleWrittenOff(batch, result);
      this.inFlightRecords -= batch.length;
      this.inFlight.delete(batch);
      this.options.stats.inFlight -= batch.length;
      this.settle(batch, result);
    };
    try {
      this.options.exporter.export(batch, done);
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  private settle(batch: T[], result: ExportResult): void {
    const { stats, listener } = this.options;
    if (result.code === ExportResultCode.SUCCESS) {
      stats.delivered += batch.length;
      this.backoffMillis = 0;
      this.settled(batch);
      listener?.exportSucceeded();
    } else {
      stats.failedExports++;
      stats.lastError = redactCredentials(describeError(result.error));
      const permanent = isPermanentExportError(result.error);
      if (permanent) {
        // The collector refused the data itself: retrying the same bytes cannot succeed.
        stats.drop('rejected', batch.length);
        this.settled(batch);
      } else {
        this.retries.unshift(batch);
        this.startBackoff();
      }
      listener?.exportFailed(result.error, batch.length, !permanent);
    }
    this.notify();
    this.pump();
  }

  private settled(batch: T[]): void {
    const first = this.firstOf.get(batch);
    if (first !== undefined) this.settledListener?.(first, batch.length);
  }

  /** A batch counted `in-flight-at-exit` at shutdown has its answer: count it for what it is. */
  private settleWrittenOff(batch: T[], result: ExportResult): void {
    const { stats } = this.options;
    stats.dropped['in-flight-at-exit'] -= batch.length;
    if (result.code === ExportResultCode.SUCCESS) stats.delivered += batch.length;
    else
      stats.drop(
        isPermanentExportError(result.error) ? 'rejected' : 'undelivered-at-exit',
        batch.length,
      );
  }

  private startBackoff(): void {
    if (this.backingOff) return;
    this.backingOff = true;
    this.backoffMillis = Math.min(
      Math.max(FIRST_BACKOFF_MILLIS, this.backoffMillis * 2),
      MAX_BACKOFF_MILLIS,
    );
    setTimeout(() => {
      this.backingOff = false;
      this.pump();
    }, this.backoffMillis).unref();
  }

  private when(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const listener = (): void => {
        if (!condition()) return;
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve();
      };
      this.listeners.push(listener);
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
