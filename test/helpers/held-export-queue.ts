import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { DeliveryStats } from '../../transports/worker/report/delivery-stats.js';
import { ExportQueue } from '../../transports/worker/export-queue.js';
import type { BatchExporter } from '../../transports/worker/export-queue.js';
import type { SpoolPipeline } from '../../transports/worker/spool/disk-spool.js';

/** One export the {@link HeldExporter} holds: its records, and how the test answers it. */
export interface HeldBatch {
  readonly records: string[];
  answer(ok: boolean): void;
}

/**
 * An exporter of string records that holds every export until the test answers it (a slow or
 * absent collector, scripted), or — `answerAtOnce` — answers each with success in the next turn.
 */
export class HeldExporter implements BatchExporter<string> {
  /** Every export made while holding, answered or not, in order. */
  readonly batches: HeldBatch[] = [];
  /** The records of the exports answered with success, in order. */
  readonly delivered: string[] = [];
  answerAtOnce = false;
  private unanswered: HeldBatch[] = [];

  export(records: string[], done: (result: ExportResult) => void): void {
    let answered = false;
    const batch: HeldBatch = {
      records,
      answer: (ok) => {
        if (answered) return;
        answered = true;
        this.unanswered = this.unanswered.filter((held) => held !== batch);
        if (ok) this.delivered.push(...records);
        done(
          ok
            ? { code: ExportResultCode.SUCCESS }
            : { code: ExportResultCode.FAILED, error: new Error('down') },
        );
      },
    };
    if (this.answerAtOnce) {
      setImmediate(() => batch.answer(true));
      return;
    }
    this.batches.push(batch);
    this.unanswered.push(batch);
  }

  /** Answers the oldest held export with success: a slow collector, one request at a time. */
  releaseOne(): void {
    this.unanswered[0]?.answer(true);
  }

  /** Answers every held export with success. */
  releaseAll(): void {
    for (const batch of [...this.unanswered]) batch.answer(true);
  }

  shutdown = () => Promise.resolve();
}

/**
 * A real ExportQueue of string records (the records are the lines themselves) in front of a
 * {@link HeldExporter}, and the pipeline face a RecordBuffer or a DiskSpool feeds: what a real
 * pipeline is, but for an exporter built from the options.
 */
export function heldExportQueue(options: { maxQueueSize: number; maxConcurrentExports: number }) {
  const exporter = new HeldExporter();
  const stats = new DeliveryStats();
  const queue = new ExportQueue<string>({
    exporter,
    stats,
    maxQueueSize: options.maxQueueSize,
    maxExportBatchSize: 2,
    maxExportBatchBytes: 4_000_000,
    scheduledDelayMillis: 10,
    maxConcurrentExports: options.maxConcurrentExports,
  });
  const losses: string[] = [];
  const pipeline: SpoolPipeline<string> = {
    stats,
    emit: (record) => queue.push(record, 0),
    hasSpace: () => queue.hasSpace(),
    whenSpace: () => queue.whenSpace(),
    flushUntil: (deadline) => queue.flushUntil(deadline),
    shutdownUntil: (deadline) => queue.shutdownUntil(deadline),
    get pushed() {
      return queue.pushed;
    },
    onSettled: (listener) => queue.onSettled(listener),
    reportLoss: () => losses.push(stats.lossSummary('the collector') ?? ''),
  };
  return { exporter, stats, queue, pipeline, losses };
}
