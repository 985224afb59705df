import { setImmediate as nextTurn } from 'node:timers/promises';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { DeliveryStats } from '../../../transports/worker/report/delivery-stats.js';
import { ExportQueue } from '../../../transports/worker/export-queue.js';
import type { BatchExporter } from '../../../transports/worker/export-queue.js';

/** An exporter whose every export waits for the test's answer. */
class AnsweredExporter implements BatchExporter<string> {
  readonly exports: { records: string[]; answer: (result: ExportResult) => void }[] = [];
  export(records: string[], answer: (result: ExportResult) => void): void {
    this.exports.push({ records, answer });
  }
  shutdown = () => Promise.resolve();
}

const ok: ExportResult = { code: ExportResultCode.SUCCESS };
const failed = (code?: number): ExportResult => ({
  code: ExportResultCode.FAILED,
  error: Object.assign(new Error('failed'), { code }),
});

function setUp() {
  const exporter = new AnsweredExporter();
  const queue = new ExportQueue<string>({
    exporter,
    stats: new DeliveryStats(),
    maxQueueSize: 100,
    maxExportBatchSize: 2,
    maxExportBatchBytes: 4_000_000,
    scheduledDelayMillis: 10,
    maxConcurrentExports: 2,
  });
  const settled: [number, number][] = [];
  queue.onSettled((first, count) => settled.push([first, count]));
  return { exporter, queue, settled };
}

// The disk spool settles each record on disk when the queue is done with it, by these numbers.
describe('ExportQueue › onSettled', () => {
  it('numbers records by push and tells of each batch delivered, in whatever order', () => {
    const { exporter, queue, settled } = setUp();
    for (const record of ['a', 'b', 'c', 'd']) queue.push(record, 1);
    expect(queue.pushed).toBe(4);
    expect(exporter.exports.map((e) => e.records)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    exporter.exports[1]?.answer(ok);
    exporter.exports[0]?.answer(ok);
    expect(settled).toEqual([
      [2, 2],
      [0, 2],
    ]);
  });

  it('tells nothing of a batch that failed and is retried, until its retry is delivered', async () => {
    const { exporter, queue, settled } = setUp();
    queue.push('a', 1);
    await queue.flushUntil(Date.now() + 50);
    exporter.exports[0]?.answer(failed(503));
    expect(settled).toEqual([]);
    while (exporter.exports.length < 2) await nextTurn(); // after the backoff
    exporter.exports[1]?.answer(ok);
    expect(settled).toEqual([[0, 1]]);
  });

  it('tells of a batch the collector refused for good (counted rejected)', () => {
    const { exporter, queue, settled } = setUp();
    queue.push('a', 1);
    queue.push('b', 1);
    exporter.exports[0]?.answer(failed(400));
    expect(settled).toEqual([[0, 2]]);
  });
});
