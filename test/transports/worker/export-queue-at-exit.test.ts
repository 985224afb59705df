import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { ExportQueue } from '../../../transports/worker/export-queue.js';
import type { BatchExporter } from '../../../transports/worker/export-queue.js';
import { DeliveryStats } from '../../../transports/worker/report/delivery-stats.js';

/** An exporter whose requests the test answers when it likes: as a slow collector would. */
class HeldExporter implements BatchExporter<number> {
  readonly pending: ((result: ExportResult) => void)[] = [];
  export(_batch: number[], done: (result: ExportResult) => void): void {
    this.pending.push(done);
  }
  shutdown = () => Promise.resolve();
  answer(index: number, result: ExportResult): void {
    this.pending[index]?.(result);
  }
}

function setUp() {
  const exporter = new HeldExporter();
  const stats = new DeliveryStats();
  const queue = new ExportQueue<number>({
    exporter,
    maxQueueSize: 100,
    maxExportBatchSize: 4,
    maxExportBatchBytes: 1_000_000,
    scheduledDelayMillis: 10_000,
    maxConcurrentExports: 2,
    stats,
  });
  return { exporter, stats, queue };
}

const ok: ExportResult = { code: ExportResultCode.SUCCESS };

describe('ExportQueue at exit', () => {
  describe('with requests the collector has not answered when the budget ends', () => {
    it('counts their records as in-flight-at-exit, apart from those never sent', async () => {
      const { exporter, stats, queue } = setUp();
      for (let i = 0; i < 10; i++) queue.push(i, 1); // two batches of 4 in flight, 2 waiting
      expect(stats.inFlight).toBe(8);
      await queue.shutdownUntil(Date.now() + 50);
      expect(exporter.pending).toHaveLength(2);
      expect(stats.dropped).toMatchObject({ 'in-flight-at-exit': 8, 'undelivered-at-exit': 2 });
      expect(stats.inFlight).toBe(0);
      expect(stats.delivered).toBe(0);
    });

    it('counts one that is answered after all as delivered, once', async () => {
      const { exporter, stats, queue } = setUp();
      for (let i = 0; i < 8; i++) queue.push(i, 1);
      await queue.shutdownUntil(Date.now() + 50);
      exporter.answer(0, ok);
      exporter.answer(1, { code: ExportResultCode.FAILED, error: new Error('reset') });
      expect(stats.delivered).toBe(4);
      expect(stats.dropped).toMatchObject({ 'in-flight-at-exit': 0, 'undelivered-at-exit': 4 });
      expect(stats.droppedTotal).toBe(4);
    });
  });

  it('counts what it delivered before the budget ended as delivered', async () => {
    const { exporter, stats, queue } = setUp();
    for (let i = 0; i < 4; i++) queue.push(i, 1);
    exporter.answer(0, ok);
    await queue.shutdownUntil(Date.now() + 50);
    expect(stats.delivered).toBe(4);
    expect(stats.droppedTotal).toBe(0);
    expect(stats.lossSummary('http://collector')).toBeUndefined();
  });

  it('says in-flight-at-exit in the loss summary', async () => {
    const { stats, queue } = setUp();
    for (let i = 0; i < 10; i++) queue.push(i, 1);
    await queue.shutdownUntil(Date.now() + 50);
    stats.received = 10;
    expect(stats.lossSummary('http://collector')).toBe(
      'tracelink: 10 of 10 log records were not delivered to http://collector ' +
        '(2 undelivered-at-exit, 8 in-flight-at-exit)',
    );
  });
});
