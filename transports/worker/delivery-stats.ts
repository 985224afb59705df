/** Why records were not delivered. */
export type DropReason =
  | 'queue-full'
  | 'buffer-full'
  | 'rejected'
  | 'after-shutdown'
  | 'undelivered-at-exit'
  | 'invalid-options';

/**
 * Counts every record a transport was handed: delivered (the collector acknowledged it) or
 * dropped, by reason. Nothing is lost without being counted here.
 */
export class DeliveryStats {
  received = 0;
  delivered = 0;
  failedExports = 0;
  lastError: string | undefined;
  readonly dropped: Record<DropReason, number> = {
    'queue-full': 0,
    'buffer-full': 0,
    rejected: 0,
    'after-shutdown': 0,
    'undelivered-at-exit': 0,
    'invalid-options': 0,
  };

  drop(reason: DropReason, count: number): void {
    this.dropped[reason] += count;
  }

  /** All records dropped, whatever the reason. */
  get droppedTotal(): number {
    return Object.values(this.dropped).reduce((sum, n) => sum + n, 0);
  }

  /** A one-line summary for stderr and diag, or `undefined` when nothing was lost. */
  lossSummary(destination: string): string | undefined {
    if (this.droppedTotal === 0) return undefined;
    const reasons = (Object.entries(this.dropped) as [DropReason, number][])
      .filter(([, n]) => n > 0)
      .map(([reason, n]) => `${n} ${reason}`)
      .join(', ');
    const cause = this.lastError === undefined ? '' : `; last export error: ${this.lastError}`;
    return (
      `tracelink: ${this.droppedTotal} of ${this.received} log records were not delivered to ` +
      `${destination} (${reasons})${cause}`
    );
  }
}
