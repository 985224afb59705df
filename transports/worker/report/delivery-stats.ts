import { DROP_REASONS, SLOT, StatsCounters, droppedSlot } from '../../transport-stats.js';
import type { DropReason } from '../../transport-stats.js';

export type { DropReason } from '../../transport-stats.js';

/**
 * Counts every record a transport was handed: delivered (the collector acknowledged it), in
 * flight, or dropped, by reason — what is left is buffered. Nothing is lost without being
 * counted here. The counts live in {@link StatsCounters}, shared with the app's thread, which
 * reads them whenever it asks for `stats()`: each update is one store, nothing more.
 */
export class DeliveryStats {
  /** The shared counters these accessors read and write. */
  readonly counters = new StatsCounters();
  private readonly n = this.counters.numbers;
  private lastErrorText: string | undefined;
  /** Records not delivered, by reason. */
  readonly dropped: Record<DropReason, number>;

  constructor() {
    const n = this.n;
    const dropped = {} as Record<DropReason, number>;
    for (const reason of DROP_REASONS) {
      const slot = droppedSlot(reason);
      Object.defineProperty(dropped, reason, {
        enumerable: true,
        get: () => n[slot],
        set: (value: number) => (n[slot] = value),
      });
    }
    this.dropped = dropped;
  }

  get received(): number {
    return this.n[SLOT.received];
  }
  set received(value: number) {
    this.n[SLOT.received] = value;
  }

  get delivered(): number {
    return this.n[SLOT.delivered];
  }
  set delivered(value: number) {
    this.n[SLOT.delivered] = value;
  }

  /** Records in requests the collector has not answered. */
  get inFlight(): number {
    return this.n[SLOT.inFlight];
  }
  set inFlight(value: number) {
    this.n[SLOT.inFlight] = value;
  }

  get failedExports(): number {
    return this.n[SLOT.failedExports];
  }
  set failedExports(value: number) {
    this.n[SLOT.failedExports] = value;
  }

  /**
   * Records on disk in the spool (`spool` option) and not in the export queue: neither
   * delivered nor lost. At exit, every record the collector has not acknowledged stays
   * spooled, for the next start.
   */
  get spooled(): number {
    return this.n[SLOT.spooled];
  }
  set spooled(value: number) {
    this.n[SLOT.spooled] = value;
  }

  /** Whether exports are failing now (set by the reporter). */
  get failing(): boolean {
    return this.n[SLOT.failing] === 1;
  }
  set failing(value: boolean) {
    this.n[SLOT.failing] = value ? 1 : 0;
  }

  /** The SDK is disabled: records are taken and not held. */
  set disabled(value: boolean) {
    this.n[SLOT.disabled] = value ? 1 : 0;
  }

  /** The last export error, one line. */
  get lastError(): string | undefined {
    return this.lastErrorText;
  }
  set lastError(value: string | undefined) {
    this.lastErrorText = value;
    this.counters.setLastError(value);
  }

  drop(reason: DropReason, count: number): void {
    this.dropped[reason] += count;
  }

  /** All records dropped, whatever the reason. */
  get droppedTotal(): number {
    let total = 0;
    for (const reason of DROP_REASONS) total += this.dropped[reason];
    return total;
  }

  /** The dropped counts that are not zero, as `3 rejected, 5 queue-full`; `''` when none. */
  droppedByReason(): string {
    return DROP_REASONS.filter((reason) => this.dropped[reason] > 0)
      .map((reason) => `${this.dropped[reason]} ${reason}`)
      .join(', ');
  }

  /** A one-line summary for stderr and diag, or `undefined` when nothing was lost. */
  lossSummary(destination: string): string | undefined {
    if (this.droppedTotal === 0) return undefined;
    const cause = this.lastError === undefined ? '' : `; last export error: ${this.lastError}`;
    return (
      `tracelink: ${this.droppedTotal} of ${this.received} log records were not delivered to ` +
      `${destination} (${this.droppedByReason()})${cause}`
    );
  }
}
