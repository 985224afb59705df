import { diag } from '@opentelemetry/api';
import { reportProblem } from '../../../src/core/report-problem.js';
import type { QueueFullPolicy } from '../../options/otlp-options.js';
import { describeError, writeStderrLine } from '../../stderr.js';
import type { SettledListener } from '../export-queue.js';
import type { PipelineInput } from '../queued-pipeline.js';
import { SegmentStore } from './segment-store.js';
import type { SpooledRecord } from './segment-store.js';

/** What the spool needs of a pipeline: its input, and which records its queue is done with. */
export interface SpoolPipeline<R> extends PipelineInput<R> {
  /** The number the next record handed to the queue gets. */
  readonly pushed: number;
  onSettled(listener: SettledListener): void;
  reportLoss(): void;
}

/** Options of {@link DiskSpool}. */
export interface DiskSpoolOptions<R> {
  readonly pipeline: SpoolPipeline<R>;
  readonly directory: string;
  readonly maxBytes: number;
  /** What the lines are: a spool folder is taken over only by a transport of the same kind. */
  readonly kind: string;
  /** Bytes of lines waiting for their write (or, without a usable disk, held in memory). */
  readonly maxPendingBytes: number;
  readonly whenFull: QueueFullPolicy;
  /**
   * Under `'wait'`, how long the writer may be kept waiting for room (a stalled disk, or no
   * usable disk and the collector away); past it, what does not fit is dropped and counted
   * until the lines waiting have half drained — as the RecordBuffer does, for the same reason
   * (thread-stream gives up on a writer that waits 10 s).
   */
  readonly maxWaitMillis: number;
  /** Segment size, for tests; see {@link SegmentStore}. */
  readonly segmentBytes?: number;
}

// Lines are written a block at a time: when this many characters wait, or after
// WRITE_DELAY_MILLIS — so a burst costs one write per ~64 KiB, and a record waits at most a
// few milliseconds in memory before it is on disk. Blocks of up to 1 MiB, written while
// writes lagged behind, raised the peak RSS of a 100k burst (spool on, `npm run
// bench -- transports`) and delivered no sooner.
const BLOCK_CHARS = 64 * 1024;
const WRITE_DELAY_MILLIS = 5;

/**
 * The disk spool of a transport's worker (`spool` option), in place of the in-memory
 * {@link RecordBuffer}: received lines are written to a {@link SegmentStore} (a block at a
 * time, off the event loop), read back in order, mapped and handed to the export queue as it
 * has room; each record is settled in the store when the queue is done with it, so what the
 * collector has not acknowledged stays on disk — through an outage, an exit, a kill. At exit
 * it delivers until the deadline and leaves the rest on disk for the next start: counted as
 * `spooled`, not lost. When the directory cannot be written (at start, or later: a full disk),
 * lines are held in memory instead, as the RecordBuffer holds them, said once on stderr.
 *
 * @example
 * ```ts
 * const spool = new DiskSpool({ pipeline, directory, maxBytes, kind: 'pino', maxPendingBytes, whenFull });
 * spool.start((line) => mapLine(line));
 * spool.push(line);
 * await spool.closeUntil(deadline);
 * ```
 */
export class DiskSpool<R> {
  private store: SegmentStore | undefined;
  private readonly opening: Promise<void>;
  /** Lines not yet written; without a usable disk, the lines held in memory. */
  private pending: string[] = [];
  private pendingChars = 0;
  private writing: Promise<void> | undefined;
  private writeTimer: NodeJS.Timeout | undefined;
  private diskFailed = false;
  private map: ((line: string) => R) | undefined;
  /** Records to hand to the queue next: read from disk, or (no usable disk) lines from memory. */
  private ready: (SpooledRecord | string)[] = [];
  private readyAt = 0;
  private feeding = false;
  private closing = false;
  /** Records the queue holds, by the number it gave them, where they are on disk. */
  private readonly inQueue = new Map<number, SpooledRecord>();
  /** Records the queue holds that are only in memory (no usable disk). */
  private readonly inQueueFromMemory = new Set<number>();
  private waiters: (() => void)[] = [];
  /** The writer waited `maxWaitMillis`: drop what does not fit until half drained. */
  private overflowing = false;
  private kicks: (() => void)[] = [];

  constructor(private readonly options: DiskSpoolOptions<R>) {
    const { pipeline } = options;
    pipeline.onSettled(this.settled);
    this.opening = SegmentStore.open({
      directory: options.directory,
      kind: options.kind,
      maxBytes: options.maxBytes,
      segmentBytes: options.segmentBytes,
      stats: pipeline.stats,
      held: () => this.inQueue.size,
      warn: warnOnce,
    }).then(
      (store) => {
        this.store = store;
        store.folder.startHeartbeat(() => {
          if (this.closing) return;
          void store.adoptLeftovers().then((n) => n > 0 && this.kick());
        });
        this.kick();
        this.scheduleWrite();
      },
      (error: unknown) => this.fallBackToMemory(error),
    );
  }

  /** Resolves once the spool's folder is made and leftovers taken over (or the disk failed). */
  whenOpen(): Promise<void> {
    return this.opening;
  }

  /** Starts handing records to the pipeline, mapped by `map`. */
  start(map: (line: string) => R): void {
    this.map = map;
    this.kick();
    void this.feed();
  }

  /** Takes one line (or drops it, counted, when too many wait for the disk under `'drop'`). */
  push(line: string): void {
    const { pipeline, maxPendingBytes, whenFull } = this.options;
    pipeline.stats.received++;
    if (
      (whenFull === 'drop' || this.closing || this.overflowing) &&
      this.pendingChars + line.length > maxPendingBytes &&
      this.pending.length > 0
    ) {
      pipeline.stats.drop('buffer-full', 1);
      return;
    }
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.diskFailed) this.kick();
    else this.scheduleWrite();
  }

  /** Whether lines waiting for the disk reached `maxPendingBytes` (`'wait'` stops reading). */
  isFull(): boolean {
    return this.pendingChars >= this.options.maxPendingBytes;
  }

  /**
   * Resolves when lines waiting for the disk are below the bound again, or once the writer
   * waited `maxWaitMillis`: from then on, until they have half drained, what does not fit is
   * dropped and counted.
   */
  whenNotFull(): Promise<void> {
    if (!this.isFull() || this.overflowing) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.overflowing = true;
        resolve();
      }, this.options.maxWaitMillis);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /**
   * At exit: writes what waits, delivers until `deadline`, and leaves what the collector has
   * not acknowledged on disk for the next start — reported on stderr, counted `spooled`.
   * Records only in memory (no usable disk) that were not delivered are counted lost.
   */
  async closeUntil(deadline: number): Promise<void> {
    const { pipeline } = this.options;
    await Promise.race([this.opening, sleepUntil(deadline)]);
    await Promise.race([this.writeAll(), sleepUntil(deadline)]);
    this.kick();
    while (this.left() > 0 && Date.now() < deadline) {
      const emptied = await Promise.race([
        pipeline.flushUntil(deadline),
        sleepUntil(deadline).then(() => false),
      ]);
      // The queue is empty, and records are still being read: wait for them, not in a spin.
      if (emptied && this.left() > 0) await Promise.race([this.nextKick(), sleep(20)]);
    }
    const store = this.store;
    const kept = store?.unsettled ?? 0;
    // Not on disk: in memory only (no usable disk), or not yet written.
    let lost = this.inQueueFromMemory.size + this.pending.length + (store?.unsettledOfDropped ?? 0);
    for (let i = this.readyAt; i < this.ready.length; i++) {
      if (typeof this.ready[i] === 'string') lost++;
    }
    if (kept === 0 && lost === 0) {
      store?.closeSync(false);
      await pipeline.shutdownUntil(deadline);
      return;
    }
    // Not shut down: the queue would count what it holds as lost, and it is on disk. The worker
    // ends after this close; requests in flight then are resent at the next start.
    if (lost > 0) pipeline.stats.drop('undelivered-at-exit', lost);
    store?.closeSync(kept > 0);
    pipeline.stats.spooled = kept;
    pipeline.reportLoss();
    if (kept > 0 && store !== undefined) {
      const { lastError } = pipeline.stats;
      const why = lastError === undefined ? '' : `; last export error: ${lastError}`;
      const line =
        `tracelink: ${kept} log records stay spooled in ${store.directory}, to be sent at the ` +
        `next start${why}`;
      writeStderrLine(line);
      diag.warn(line);
    }
  }

  /** Records not yet done with: on disk, held in memory, or waiting for the disk. */
  private left(): number {
    return (
      (this.store?.unsettled ?? 0) +
      this.inQueueFromMemory.size +
      (this.store?.unsettledOfDropped ?? 0) +
      this.pending.length +
      (this.ready.length - this.readyAt)
    );
  }

  private scheduleWrite(): void {
    if (this.store === undefined || this.diskFailed || this.writing !== undefined) return;
    if (this.pending.length === 0) return;
    if (this.pendingChars >= BLOCK_CHARS || this.closing) {
      clearTimeout(this.writeTimer);
      this.writeTimer = undefined;
      this.writing = this.writeBlock();
      return;
    }
    this.writeTimer ??= setTimeout(() => {
      this.writeTimer = undefined;
      if (this.writing === undefined && !this.diskFailed) this.writing = this.writeBlock();
    }, WRITE_DELAY_MILLIS);
  }

  /** Writes up to a block of pending lines; then the next, if any wait. */
  private async writeBlock(): Promise<void> {
    const store = this.store as SegmentStore;
    let chars = 0;
    let count = 0;
    while (count < this.pending.length && chars < BLOCK_CHARS) {
      chars += this.pending[count].length;
      count++;
    }
    const lines = this.pending.splice(0, count);
    this.pendingChars -= chars;
    try {
      await store.append(lines);
    } catch (error) {
      // Back at the front, in order: held in memory from now on.
      this.pending.unshift(...lines);
      this.pendingChars += chars;
      this.fallBackToMemory(error);
    }
    this.writing = undefined;
    this.wakeWaiters();
    this.kick();
    this.scheduleWrite();
  }

  /** Writes everything pending (at exit). */
  private async writeAll(): Promise<void> {
    this.closing = true;
    while (
      this.store !== undefined &&
      !this.diskFailed &&
      (this.pending.length > 0 || this.writing)
    ) {
      if (this.writing === undefined) this.scheduleWrite();
      await this.writing;
    }
  }

  private fallBackToMemory(error: unknown): void {
    if (this.diskFailed) return;
    this.diskFailed = true;
    const line =
      `tracelink: the spool directory ${this.options.directory} cannot be written ` +
      `(${describeError(error)}); log records are held in memory instead, up to ` +
      `maxBufferedBytes, as without a spool`;
    writeStderrLine(line);
    diag.error(line);
    this.kick();
  }

  /** The queue is done with these records: settle those on disk. */
  private readonly settled = (first: number, count: number): void => {
    for (let n = first; n < first + count; n++) {
      const record = this.inQueue.get(n);
      if (record !== undefined) {
        this.inQueue.delete(n);
        this.store?.settle(record);
      } else {
        this.inQueueFromMemory.delete(n);
      }
    }
    this.kick();
  };

  /** Hands records to the queue while it has room: from disk, then (no usable disk) memory. */
  private async feed(): Promise<void> {
    if (this.feeding || this.map === undefined) return;
    this.feeding = true;
    const { pipeline } = this.options;
    try {
      for (;;) {
        if (!pipeline.hasSpace()) await pipeline.whenSpace();
        if (this.readyAt < this.ready.length) {
          const next = this.ready[this.readyAt];
          this.ready[this.readyAt++] = '';
          if (typeof next === 'string') this.emit(next, undefined);
          else this.emit(next.line, next);
          continue;
        }
        this.ready = [];
        this.readyAt = 0;
        if (this.store?.hasUnread()) {
          const read = await this.store.read();
          this.ready = read;
          continue;
        }
        if (this.diskFailed && this.pending.length > 0) {
          // Held in memory: a chunk at a time (shift() per record is O(n) in a long array).
          this.ready = this.pending.splice(0, 1024);
          for (const line of this.ready as string[]) this.pendingChars -= line.length;
          this.wakeWaiters();
          continue;
        }
        await this.nextKick();
      }
    } catch (error) {
      // Not expected; what is on disk stays there for the next start.
      reportProblem('feeding the export queue from the spool', 'records stay spooled', error);
    } finally {
      this.feeding = false;
    }
  }

  private emit(line: string, record: SpooledRecord | undefined): void {
    const { pipeline } = this.options;
    const number = pipeline.pushed;
    try {
      pipeline.emit((this.map as (line: string) => R)(line), line.length);
    } catch (error) {
      // The mapper never throws by design; if it does, the record is still counted.
      pipeline.stats.drop('rejected', 1);
      reportProblem('mapping a log record', 'the record is dropped and counted', error);
    }
    if (pipeline.pushed === number) {
      // Not queued (dropped and counted by the pipeline, or the SDK is disabled): done with.
      if (record !== undefined) this.store?.settle(record);
    } else if (record !== undefined) {
      this.inQueue.set(number, record);
      pipeline.stats.spooled--; // now in the queue: buffered, then in flight
    } else {
      this.inQueueFromMemory.add(number);
    }
  }

  private kick(): void {
    const kicks = this.kicks;
    this.kicks = [];
    for (const resolve of kicks) resolve();
  }

  private nextKick(): Promise<void> {
    return new Promise((resolve) => this.kicks.push(resolve));
  }

  private wakeWaiters(): void {
    if (this.overflowing && this.pendingChars <= this.options.maxPendingBytes / 2) {
      this.overflowing = false;
    }
    if (this.isFull() || this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

const warned = new Set<string>();
function warnOnce(line: string): void {
  if (warned.has(line)) return;
  warned.add(line);
  writeStderrLine(line);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function sleepUntil(deadline: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref());
}
