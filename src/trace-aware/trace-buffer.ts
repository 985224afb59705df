import type { RequestScopeListener } from '../core/request-scope.js';
import { addRequestScopeListener } from '../core/request-scope.js';
import { reportProblem } from '../core/report-problem.js';

/** The bounds of a trace buffer, resolved. */
export interface TraceBufferLimits {
  readonly maxTraceBytes: number;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
}

/** What a trace buffer has done since it was made, and what it holds now. */
export interface TraceBufferStats {
  /** Lines held now, waiting for their request to end. */
  readonly held: number;
  /** Their size: the length of each serialised line (bytes for ASCII text). */
  readonly heldBytes: number;
  /** Requests (traces) open now in this process. */
  readonly openTraces: number;
  /** Held lines written because their trace failed (an error line or a failed request). */
  readonly flushed: number;
  /** Held lines discarded because their request ended cleanly (or the buffer was closed). */
  readonly discarded: number;
  /** Held lines dropped to stay within `maxTraceBytes`: the trace's oldest go first. */
  readonly droppedTraceLimit: number;
  /** Held lines dropped to stay within `maxBytes`: the oldest trace's oldest go first. */
  readonly droppedTotalLimit: number;
  /** Held lines dropped because their request was open longer than `maxAgeMs`. */
  readonly expired: number;
}

/** One open trace: its held lines (from `first` on) and how many of its requests are open. */
interface Bucket<T> {
  open: number;
  readonly entries: T[];
  readonly sizes: number[];
  first: number;
  bytes: number;
  /** The trace has failed here: its lines are written at once from now on. */
  failed: boolean;
  readonly since: number;
}

/**
 * The logger-independent half of log buffering: lines held per trace while a request of that
 * trace is open in this process (as the request-scope listeners are told by tracelink's HTTP
 * and consumer tracing), written through `write` in order when the trace fails, discarded
 * when its last request ends cleanly. Bounded per trace and in total; a request open longer
 * than `maxAgeMs` loses its held lines. Every line that is not written is counted.
 *
 * @example
 * ```ts
 * const buffer = new TraceBuffer<string>(limits, (line) => destination.write(line));
 * if (!buffer.hold(traceId, line, line.length)) destination.write(line);
 * ```
 */
export class TraceBuffer<T> implements RequestScopeListener {
  private readonly buckets = new Map<string, Bucket<T>>();
  private readonly limits: TraceBufferLimits;
  private readonly write: (entry: T) => void;
  private readonly stopListening: () => void;
  private readonly timer: NodeJS.Timeout;
  private held = 0;
  private bytes = 0;
  private flushed = 0;
  private discarded = 0;
  private droppedTraceLimit = 0;
  private droppedTotalLimit = 0;
  private expired = 0;
  private closed = false;

  constructor(limits: TraceBufferLimits, write: (entry: T) => void) {
    this.limits = limits;
    this.write = write;
    this.stopListening = addRequestScopeListener(this);
    // Expiry runs on a timer too, so lines of a request that never ends go even when nothing
    // more is logged. Unref'd: it never keeps the process alive.
    const every = Math.min(Math.max(Math.floor(limits.maxAgeMs / 4), 100), 5000);
    this.timer = setInterval(() => this.expire(Date.now()), every);
    this.timer.unref();
  }

  /** Whether any request is open: when none is, no line is held and none needs a look. */
  get watching(): boolean {
    return this.buckets.size !== 0;
  }

  /**
   * Holds `entry` if a request of `traceId` is open and has not failed; `false` when the
   * caller must write it now. A held entry may be dropped at once (a single line larger than
   * `maxTraceBytes`), which is counted. Never throws.
   */
  hold(traceId: string, entry: T, size: number): boolean {
    const bucket = this.buckets.get(traceId);
    if (bucket === undefined || bucket.failed) return false;
    const { maxTraceBytes, maxBytes } = this.limits;
    if (size > maxTraceBytes) {
      this.droppedTraceLimit++;
      report('maxTraceBytes', 'the line was larger than the limit and was dropped');
      return true;
    }
    if (bucket.bytes + size > maxTraceBytes) {
      this.droppedTraceLimit += this.dropOldest(bucket, bucket.bytes + size - maxTraceBytes);
      report('maxTraceBytes', "dropped the trace's oldest held lines");
    }
    if (this.bytes + size > maxBytes) this.makeRoom(this.bytes + size - maxBytes);
    bucket.entries.push(entry);
    bucket.sizes.push(size);
    bucket.bytes += size;
    this.bytes += size;
    this.held++;
    return true;
  }

  /**
   * The trace failed (an error line): writes its held lines now, in order, and lets its later
   * lines through unheld. Never throws.
   */
  fail(traceId: string): void {
    const bucket = this.buckets.get(traceId);
    if (bucket === undefined || bucket.failed) return;
    bucket.failed = true;
    this.flush(bucket);
  }

  begin(traceId: string): void {
    if (this.closed) return;
    const bucket = this.buckets.get(traceId);
    if (bucket !== undefined) bucket.open++;
    else this.buckets.set(traceId, newBucket(Date.now()));
  }

  end(traceId: string, failed: boolean): void {
    const bucket = this.buckets.get(traceId);
    if (bucket === undefined) return;
    if (failed) this.fail(traceId);
    if (--bucket.open > 0) return;
    this.buckets.delete(traceId);
    this.discarded += this.release(bucket);
  }

  /** Drops the held lines of every request open since `maxAgeMs` before `now`. */
  expire(now: number): void {
    const oldest = now - this.limits.maxAgeMs;
    let expired = 0;
    for (const [traceId, bucket] of this.buckets) {
      if (bucket.since > oldest) break; // in insertion order: the rest are younger
      this.buckets.delete(traceId);
      expired += this.release(bucket);
    }
    if (expired === 0) return;
    this.expired += expired;
    report('maxAgeMs', 'dropped the held lines of a request open longer than the limit');
  }

  stats(): TraceBufferStats {
    return {
      held: this.held,
      heldBytes: this.bytes,
      openTraces: this.buckets.size,
      flushed: this.flushed,
      discarded: this.discarded,
      droppedTraceLimit: this.droppedTraceLimit,
      droppedTotalLimit: this.droppedTotalLimit,
      expired: this.expired,
    };
  }

  /** Stops listening and discards what is held (counted as discarded). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    clearInterval(this.timer);
    for (const bucket of this.buckets.values()) this.discarded += this.release(bucket);
    this.buckets.clear();
  }

  private flush(bucket: Bucket<T>): void {
    const { entries } = bucket;
    const count = entries.length - bucket.first;
    for (let i = bucket.first; i < entries.length; i++) {
      try {
        this.write(entries[i]);
      } catch (error) {
        reportProblem('writing a held line', 'the line is lost', error);
      }
    }
    this.flushed += count;
    this.release(bucket);
  }

  /** Empties `bucket`; returns how many lines it held. */
  private release(bucket: Bucket<T>): number {
    const count = bucket.entries.length - bucket.first;
    this.held -= count;
    this.bytes -= bucket.bytes;
    bucket.entries.length = 0;
    bucket.sizes.length = 0;
    bucket.first = 0;
    bucket.bytes = 0;
    return count;
  }

  /** Drops `bucket`'s oldest lines until `bytes` are freed; returns how many. */
  private dropOldest(bucket: Bucket<T>, bytes: number): number {
    let freed = 0;
    let dropped = 0;
    while (freed < bytes && bucket.first < bucket.entries.length) {
      const size = bucket.sizes[bucket.first];
      bucket.entries[bucket.first] = undefined as T; // let it be collected now
      bucket.first++;
      freed += size;
      dropped++;
    }
    // Compact once the dropped head is the larger part, so the arrays stay bounded.
    if (bucket.first > 32 && bucket.first * 2 > bucket.entries.length) {
      bucket.entries.splice(0, bucket.first);
      bucket.sizes.splice(0, bucket.first);
      bucket.first = 0;
    }
    bucket.bytes -= freed;
    this.bytes -= freed;
    this.held -= dropped;
    return dropped;
  }

  /** Frees `bytes` in total, oldest trace first. */
  private makeRoom(bytes: number): void {
    let freed = 0;
    for (const bucket of this.buckets.values()) {
      const before = bucket.bytes;
      this.droppedTotalLimit += this.dropOldest(bucket, bytes - freed);
      freed += before - bucket.bytes;
      if (freed >= bytes) break;
    }
    report('maxBytes', 'dropped the oldest held lines of the oldest trace');
  }
}

function newBucket<T>(since: number): Bucket<T> {
  return { open: 1, entries: [], sizes: [], first: 0, bytes: 0, failed: false, since };
}

function report(limit: string, outcome: string): void {
  reportProblem(`holding a line within ${limit}`, outcome, `the ${limit} limit was reached`);
}
