import { reportProblem } from '../../src/core/report-problem.js';
import type { QueueFullPolicy } from '../options/otlp-options.js';
import type { PipelineInput } from './queued-pipeline.js';

/** Options of {@link RecordBuffer}: held items of type `T`, fed to the pipeline as `R`. */
export interface RecordBufferOptions<T, R> {
  readonly pipeline: PipelineInput<R>;
  /** Turns a held item into a record; called only when the export queue has room for it. */
  readonly map: (item: T) => R;
  /** An item's size in bytes, for the bound. */
  readonly sizeOf: (item: T) => number;
  readonly maxBufferedBytes: number;
  readonly whenFull: QueueFullPolicy;
  /**
   * Under `'wait'`, how long the writer may be kept waiting for room. Past it — the collector
   * has taken nothing for that long — the buffer takes what fits and drops the rest, counted,
   * until it drains: the writer may be the application's main thread blocked in an exit hook,
   * which thread-stream gives up on after 10 s, losing everything uncounted.
   */
  readonly maxWaitMillis: number;
}

/**
 * Holds received records, bounded in bytes, in front of the export queue, and feeds the
 * queue as it drains. It lets a transport keep reading while the collector is slow or down —
 * so pino's main thread is never left waiting on the worker at exit — while memory stays
 * bounded: past `maxBufferedBytes`, `isFull()` tells the transport to stop reading
 * (`'wait'`, for at most `maxWaitMillis`), or the newest records are dropped and counted
 * (`'drop'`). Records are mapped lazily, as raw lines are far smaller than mapped records.
 */
export class RecordBuffer<T, R> {
  private readonly items: T[] = [];
  private head = 0;
  private bytes = 0;
  private pumping = false;
  private waiters: (() => void)[] = [];
  /** Since when the writer has been kept waiting for room, until the buffer drains. */
  private waitingSince: number | undefined;
  /** The writer waited `maxWaitMillis`: drop what does not fit until the buffer drains. */
  private overflowing = false;

  constructor(private readonly options: RecordBufferOptions<T, R>) {}

  /** Takes one item (or drops it, counted, when full under `'drop'`). */
  push(item: T): void {
    const { pipeline, sizeOf, maxBufferedBytes, whenFull } = this.options;
    pipeline.stats.received++;
    const size = sizeOf(item);
    const dropping = whenFull === 'drop' || this.overflowing;
    if (dropping && this.bytes + size > maxBufferedBytes && this.length > 0) {
      pipeline.stats.drop('buffer-full', 1);
      return;
    }
    this.items.push(item);
    this.bytes += size;
    // Checked here too: while it runs, a call would only make a settled promise per record.
    if (!this.pumping) void this.pump();
  }

  /** Items held, not yet handed to the export queue. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Whether the byte bound is reached: a `'wait'` transport stops reading until `whenNotFull`. */
  isFull(): boolean {
    return this.bytes >= this.options.maxBufferedBytes;
  }

  /**
   * Resolves when the buffer has room again, or once the writer has waited `maxWaitMillis`
   * in all: from then on, until the buffer drains, what does not fit is dropped and counted.
   */
  whenNotFull(): Promise<void> {
    if (!this.isFull() || this.overflowing) return Promise.resolve();
    this.waitingSince ??= Date.now();
    const left = this.waitingSince + this.options.maxWaitMillis - Date.now();
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.overflowing = true;
          resolve();
        },
        Math.max(0, left),
      );
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * The end of an exit budget that starts now — or when the writer began waiting, if the
   * buffer has not drained since: at exit, that writer (pino's or the winston transport's
   * exit hook) has already spent that time of the budget waiting.
   */
  exitDeadline(budgetMillis: number): number {
    return Math.min(Date.now(), this.waitingSince ?? Infinity) + budgetMillis;
  }

  /**
   * Feeds everything held into the export queue and delivers it, until `deadline` (epoch ms);
   * resolves whether all of it was delivered. What is left stays held.
   */
  async flushUntil(deadline: number): Promise<boolean> {
    const { pipeline } = this.options;
    while (this.length > 0 && Date.now() < deadline) {
      await Promise.race([pipeline.flushUntil(deadline), this.drained()]);
    }
    return this.length === 0 && (await pipeline.flushUntil(deadline));
  }

  /**
   * Feeds everything held into the export queue and delivers it, until `deadline`. What is
   * still here then is counted as undelivered; the pipeline reports every loss.
   */
  async closeUntil(deadline: number): Promise<void> {
    const { pipeline } = this.options;
    const flushing = (async () => {
      while (this.length > 0 && Date.now() < deadline) {
        await Promise.race([pipeline.flushUntil(deadline), this.drained()]);
      }
    })();
    await Promise.race([flushing, sleepUntil(deadline)]);
    const left = this.length;
    if (left > 0) pipeline.stats.drop('undelivered-at-exit', left);
    this.items.length = 0;
    this.head = 0;
    this.bytes = 0;
    await pipeline.shutdownUntil(deadline);
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => (this.length === 0 ? resolve() : void setTimeout(check, 5).unref());
      check();
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    const { pipeline, map, sizeOf } = this.options;
    try {
      while (this.length > 0) {
        if (!pipeline.hasSpace()) await pipeline.whenSpace();
        // closeUntil may have emptied the buffer (counting what it held) while this waited.
        if (this.length === 0) break;
        const item = this.take();
        const size = sizeOf(item);
        this.bytes -= size;
        this.release();
        try {
          pipeline.emit(map(item), size);
        } catch (error) {
          // The mapper never throws by design; if it does, the record is still counted.
          pipeline.stats.drop('rejected', 1);
          reportProblem('mapping a log record', 'the record is dropped and counted', error);
        }
      }
    } catch (error) {
      // Not expected; if it happens, the held records are still counted at close.
      reportProblem('feeding the export queue', 'held records wait for the close', error);
    } finally {
      this.pumping = false;
    }
  }

  private take(): T {
    const item = this.items[this.head];
    this.items[this.head] = undefined as T;
    this.head++;
    // Compact now and then instead of shift(), which is O(n) per record.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return item;
  }

  private release(): void {
    if (this.isFull()) return;
    // Once the writer has waited its limit, take no new wait until the buffer is half empty:
    // a slow collector frees room a batch at a time, and every batch would otherwise start a
    // new wait of up to maxWaitMillis — a writer stalled over and over, and an exit hook
    // (thread-stream gives up after 10 s) that never sees its lines read.
    if (this.overflowing && this.bytes > this.options.maxBufferedBytes / 2) {
      this.wakeWaiters();
      return;
    }
    this.waitingSince = undefined;
    this.overflowing = false;
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

function sleepUntil(deadline: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));
}
