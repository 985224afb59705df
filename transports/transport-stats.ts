/**
 * Why records were not delivered. `in-flight-at-exit`: in a request the collector had not
 * answered when the exit budget ended — they may or may not have arrived. `invalid-options`:
 * the pino transport's options were invalid, so its worker sends nothing.
 */
export const DROP_REASONS = [
  'queue-full',
  'buffer-full',
  'rejected',
  'after-shutdown',
  'undelivered-at-exit',
  'in-flight-at-exit',
  'invalid-options',
  // The disk spool: its oldest records dropped past `spool.maxBytes`; unreadable on disk.
  'spool-full',
  'spool-corrupt',
] as const;

/** Why records were not delivered: one of {@link DROP_REASONS}. */
export type DropReason = (typeof DROP_REASONS)[number];

/**
 * A transport's delivery counts at one moment, as `stats()` returns them. Every record the
 * transport received is, at any moment, delivered, in flight, buffered, spooled or dropped:
 * `received = delivered + inFlight + buffered + spooled + Σ dropped`.
 *
 * @example
 * ```ts
 * const { delivered, dropped, failing, lastError } = transport.stats();
 * if (failing) console.warn(`logs are not reaching the collector: ${lastError}`);
 * ```
 */
export interface TransportStats {
  /** Records the transport took from the logger. */
  readonly received: number;
  /** Records the collector acknowledged. */
  readonly delivered: number;
  /** Records in export requests the collector has not answered yet. */
  readonly inFlight: number;
  /** Records held in memory, waiting to be sent or sent again. */
  readonly buffered: number;
  /**
   * Records held on disk (`spool` option), not yet handed to the export queue; 0 without a
   * spool. At exit, the records that stay spooled for the next start.
   */
  readonly spooled: number;
  /** Records not delivered, by reason; each is also in the exit report. */
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** Export requests that failed (after the exporter's own retries). */
  readonly failedExports: number;
  /** Whether exports are failing now: from a failed export until one succeeds. */
  readonly failing: boolean;
  /** The last export error, one line, credentials redacted; `undefined` before any. */
  readonly lastError: string | undefined;
}

// The layout of the counters a worker shares with the app's thread: float64 slots (exact
// integers up to 2^53, and one plain store per update: no Atomics on the worker's path),
// then the last error's UTF-8 under a sequence lock. Bump STATS_LAYOUT when it changes.
/** The version of the layout, sent with the buffer: a reader ignores buffers it cannot read. */
export const STATS_LAYOUT = 1;
/** The float64 slot of each number. */
export const SLOT = {
  received: 0,
  delivered: 1,
  inFlight: 2,
  spooled: 3,
  failedExports: 4,
  /** 1 while failing. */
  failing: 5,
  /** 1 when the SDK is disabled: records are taken and not held. */
  disabled: 6,
} as const;
const FIRST_DROPPED_SLOT = 8;
const NUMBER_SLOTS = 32; // room for 24 drop reasons
// Two int32 after them: a sequence number, odd while the text is written, and the text's
// length + 1 (0: no error yet).
const SEQUENCE = 0;
const LENGTH = 1;
const TEXT_OFFSET = NUMBER_SLOTS * 8 + 8;
const TEXT_BYTES = 512;
const BUFFER_BYTES = TEXT_OFFSET + TEXT_BYTES;

/** The float64 slot of a drop reason. */
export function droppedSlot(reason: DropReason): number {
  return FIRST_DROPPED_SLOT + DROP_REASONS.indexOf(reason);
}

/**
 * A transport's counters in a `SharedArrayBuffer`: the worker writes them as it goes (plain
 * stores, one writer), the app's thread reads them whenever it likes, without a message.
 *
 * @example
 * ```ts
 * const counters = new StatsCounters();
 * counters.numbers[SLOT.received]++;
 * new StatsCounters(counters.buffer).snapshot().received; // 1, from any thread
 * ```
 */
export class StatsCounters {
  /** The numbers, by {@link SLOT} and {@link droppedSlot}. */
  readonly numbers: Float64Array;
  private readonly header: Int32Array;
  private readonly text: Uint8Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(BUFFER_BYTES)) {
    this.numbers = new Float64Array(buffer, 0, NUMBER_SLOTS);
    this.header = new Int32Array(buffer, NUMBER_SLOTS * 8, 2);
    this.text = new Uint8Array(buffer, TEXT_OFFSET, TEXT_BYTES);
  }

  /** Stores the last error (cut to fit). Writer side: one thread only. */
  setLastError(message: string | undefined): void {
    Atomics.add(this.header, SEQUENCE, 1); // odd: a reader retries
    if (message === undefined) {
      Atomics.store(this.header, LENGTH, 0);
    } else {
      const { written } = new TextEncoder().encodeInto(message, this.text);
      Atomics.store(this.header, LENGTH, written + 1);
    }
    Atomics.add(this.header, SEQUENCE, 1);
  }

  /** The last error, read consistently with the writer (sequence lock). */
  lastError(): string | undefined {
    for (let attempt = 0; attempt < 100; attempt++) {
      const before = Atomics.load(this.header, SEQUENCE);
      if (before % 2 === 1) continue;
      const length = Atomics.load(this.header, LENGTH) - 1;
      // A copy: TextDecoder does not read shared memory.
      const text = length < 0 ? undefined : new TextDecoder().decode(this.text.slice(0, length));
      if (Atomics.load(this.header, SEQUENCE) === before) return text;
    }
    return undefined;
  }

  /** The counts now. */
  snapshot(): TransportStats {
    const n = this.numbers;
    const dropped = {} as Record<DropReason, number>;
    let droppedTotal = 0;
    for (const reason of DROP_REASONS) {
      droppedTotal += dropped[reason] = n[droppedSlot(reason)];
    }
    const { received, delivered, inFlight, spooled } = SLOT;
    const held = n[received] - n[delivered] - n[inFlight] - n[spooled] - droppedTotal;
    return {
      received: n[received],
      delivered: n[delivered],
      inFlight: n[inFlight],
      buffered: n[SLOT.disabled] === 1 ? 0 : Math.max(0, held),
      spooled: n[spooled],
      dropped,
      failedExports: n[SLOT.failedExports],
      failing: n[SLOT.failing] === 1,
      lastError: this.lastError(),
    };
  }
}

/** No records at all: the counts of a transport whose worker has not shared its counters yet. */
export function emptyStats(): TransportStats {
  return new StatsCounters(new SharedArrayBuffer(BUFFER_BYTES)).snapshot();
}

/** The counts of several pipelines as one (a pino worker may run several tracelink targets). */
function sumStats([first, ...rest]: readonly TransportStats[]): TransportStats {
  if (first === undefined) return emptyStats();
  const dropped = { ...first.dropped };
  const sum: { -readonly [K in keyof TransportStats]: TransportStats[K] } = { ...first, dropped };
  for (const stats of rest) {
    sum.received += stats.received;
    sum.delivered += stats.delivered;
    sum.inFlight += stats.inFlight;
    sum.buffered += stats.buffered;
    sum.spooled += stats.spooled;
    sum.failedExports += stats.failedExports;
    for (const reason of DROP_REASONS) dropped[reason] += stats.dropped[reason];
    if (stats.failing) sum.failing = true;
    if (stats.lastError !== undefined && (sum.lastError === undefined || stats.failing)) {
      sum.lastError = stats.lastError;
    }
  }
  return sum;
}

/**
 * The event a transport's worker posts on its thread-stream with its counters (thread-stream
 * emits `{ code: 'EVENT', name, args }` messages from the worker on the stream), and the
 * message that asks it to post them again (thread-stream posts a stream's `'message'` events
 * to its worker).
 */
export const STATS_EVENT = 'tracelink:delivery-stats';
/** See {@link STATS_EVENT}. */
export const STATS_REQUEST = 'TRACELINK_STATS_REQUEST';

/** What a view needs of a thread-stream: its events, and `'message'` to post to the worker. */
export interface WorkerStream {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): boolean;
}

/**
 * The counters of the pipelines in a thread-stream worker, read from the app's thread. The
 * worker posts its counters as it starts; a view made later asks for them again. Until they
 * have come — a few milliseconds — it reads all zeros.
 */
export class WorkerStatsView {
  private readonly pipelines = new Map<string, StatsCounters>();

  /** @param ask whether to ask the worker for its counters: a view made after it started. */
  constructor(stream: WorkerStream, ask = true) {
    stream.on(STATS_EVENT, (buffer, id, layout) => {
      if (layout !== STATS_LAYOUT || !(buffer instanceof SharedArrayBuffer)) return;
      this.pipelines.set(String(id), new StatsCounters(buffer));
    });
    if (!ask) return;
    try {
      stream.emit('message', { code: STATS_REQUEST });
    } catch {
      // The worker has exited: no counters will come.
    }
  }

  /** The counts now; `received` as counted on the app's thread, when it counts them itself. */
  read(received?: number): TransportStats {
    const all = [...this.pipelines.values()].map((counters) => counters.snapshot());
    const stats = sumStats(all);
    if (received === undefined || received <= stats.received) return stats;
    // Taken from the logger, not read by the worker yet: in memory on their way.
    return { ...stats, received, buffered: stats.buffered + received - stats.received };
  }
}
