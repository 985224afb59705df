import { OTLPExporterError } from '@opentelemetry/otlp-exporter-base';
import { isPermanentExportError, ExportQueue } from '../../../transports/worker/export-queue.js';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { DeliveryStats } from '../../../transports/worker/report/delivery-stats.js';

const grpcError = (code: number, message: string) => Object.assign(new Error(message), { code });

describe('isPermanentExportError', () => {
  it.each([
    ['HTTP 400', new OTLPExporterError('Bad Request', 400)],
    ['HTTP 413', new OTLPExporterError('Payload Too Large', 413)],
    ['HTTP 404', new OTLPExporterError('Not Found', 404)],
    [
      'gRPC RESOURCE_EXHAUSTED for a message past the size limit',
      grpcError(
        8,
        '8 RESOURCE_EXHAUSTED: grpc: received message larger than max (5173325 vs. 4194304)',
      ),
    ],
  ])('is permanent for %s', (_name, error) => {
    expect(isPermanentExportError(error)).toBe(true);
  });

  it.each([
    ['HTTP 408', new OTLPExporterError('Request Timeout', 408)],
    ['HTTP 429', new OTLPExporterError('Too Many Requests', 429)],
    ['HTTP 503', new OTLPExporterError('Service Unavailable', 503)],
    ['gRPC RESOURCE_EXHAUSTED as throttling', grpcError(8, '8 RESOURCE_EXHAUSTED: rate limited')],
    ['gRPC UNAVAILABLE', grpcError(14, '14 UNAVAILABLE: No connection established')],
    [
      'a connection error',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['nothing', undefined],
    ['a string', 'failed'],
  ])('is worth retrying for %s', (_name, error) => {
    expect(isPermanentExportError(error)).toBe(false);
  });
});

/** An exporter whose answer to each call the test scripts: success, failure, or never. */
class ScriptedExporter implements LogRecordExporter {
  readonly batches: number[] = [];
  readonly delivered: ReadableLogRecord[] = [];
  answer: (call: number) => ExportResult | 'hang' = () => ({ code: ExportResultCode.SUCCESS });

  export(records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    const call = this.batches.push(records.length);
    const result = this.answer(call);
    if (result === 'hang') return;
    if (result.code === ExportResultCode.SUCCESS) this.delivered.push(...records);
    setImmediate(() => done(result));
  }
  shutdown = () => Promise.resolve();
  forceFlush = () => Promise.resolve();
}

const record = (n: number) => ({ body: n }) as unknown as ReadableLogRecord;

function setUp(overrides: Partial<ConstructorParameters<typeof ExportQueue>[0]> = {}) {
  const exporter = new ScriptedExporter();
  const stats = new DeliveryStats();
  const queue = new ExportQueue({
    exporter,
    maxQueueSize: 10,
    maxExportBatchSize: 4,
    maxExportBatchBytes: 1000,
    scheduledDelayMillis: 20,
    maxConcurrentExports: 1,
    stats,
    ...overrides,
  });
  return { exporter, stats, queue };
}

describe('ExportQueue', () => {
  describe('batching', () => {
    it('sends full batches at once and a partial batch after the scheduled delay', async () => {
      const { exporter, queue, stats } = setUp();
      for (let i = 0; i < 6; i++) queue.push(record(i), 0);
      expect(exporter.batches).toEqual([4]);
      await new Promise((r) => setTimeout(r, 60));
      expect(exporter.batches).toEqual([4, 2]);
      expect(stats.delivered).toBe(6);
    });
  });

  describe('the byte bound', () => {
    it('cuts a batch before the record that would take it past maxExportBatchBytes', async () => {
      const { exporter, queue, stats } = setUp({ maxExportBatchBytes: 700 });
      for (let i = 0; i < 4; i++) queue.push(record(i), 300);
      // The third record took the waiting bytes past the bound: the two that fit went at once.
      expect(exporter.batches).toEqual([2]);
      await new Promise((r) => setTimeout(r, 60)); // the rest: a partial batch, after the delay
      expect(exporter.batches).toEqual([2, 2]);
      expect(stats.delivered).toBe(4);
      expect(exporter.delivered.map((r) => r.body)).toEqual([0, 1, 2, 3]);
    });

    it('sends a record larger than the bound alone, and goes on with the rest', async () => {
      const { exporter, queue, stats } = setUp({ maxExportBatchBytes: 700 });
      queue.push(record(0), 100);
      queue.push(record(1), 5000);
      queue.push(record(2), 100);
      await new Promise((r) => setTimeout(r, 60));
      expect(exporter.batches).toEqual([1, 1, 1]);
      expect(stats.delivered).toBe(3);
    });

    it('still sends by count when the records are small, and keeps counting records of no size', async () => {
      const { exporter, queue } = setUp({ maxExportBatchBytes: 700 });
      for (let i = 0; i < 4; i++) queue.push(record(i), 10);
      for (let i = 4; i < 8; i++) queue.push(record(i), 0);
      expect(exporter.batches).toEqual([4]);
      await new Promise((r) => setTimeout(r, 10));
      expect(exporter.batches).toEqual([4, 4]);
    });

    it('retries a refused batch as it was cut', async () => {
      const { exporter, queue, stats } = setUp({ maxExportBatchBytes: 700 });
      exporter.answer = (call) =>
        call === 1 ? { code: ExportResultCode.FAILED, error: new Error('down') } : { code: 0 };
      for (let i = 0; i < 3; i++) queue.push(record(i), 300);
      await queue.flushUntil(Date.now() + 3000);
      expect(exporter.batches).toEqual([2, 2, 1]);
      expect(stats.delivered).toBe(3);
    });
  });

  describe('backpressure', () => {
    it('reports when it is full and resolves whenSpace once an export completes', async () => {
      const { exporter, queue } = setUp();
      let release: (() => void) | undefined;
      exporter.answer = () => 'hang';
      exporter.export = (records, done) => {
        exporter.batches.push(records.length);
        release = () => done({ code: ExportResultCode.SUCCESS });
      };
      for (let i = 0; i < 10; i++) queue.push(record(i), 0);
      expect(queue.hasSpace()).toBe(false);
      const space = queue.whenSpace();
      release?.();
      await space;
      expect(queue.hasSpace()).toBe(true);
    });

    it('drops and counts a record emitted while full', () => {
      const { exporter, queue, stats } = setUp();
      exporter.answer = () => 'hang';
      for (let i = 0; i < 11; i++) queue.push(record(i), 0);
      expect(stats.dropped['queue-full']).toBe(1);
    });
  });

  describe('when an export fails', () => {
    it('keeps the batch and retries it with backoff until it is delivered', async () => {
      const { exporter, queue, stats } = setUp();
      exporter.answer = (call) =>
        call <= 2
          ? { code: ExportResultCode.FAILED, error: new Error('ECONNREFUSED') }
          : { code: ExportResultCode.SUCCESS };
      for (let i = 0; i < 4; i++) queue.push(record(i), 0);
      expect(await queue.flushUntil(Date.now() + 5000)).toBe(true);
      expect(exporter.batches).toEqual([4, 4, 4]);
      expect(exporter.delivered.map((r) => r.body)).toEqual([0, 1, 2, 3]);
      expect(stats).toMatchObject({ delivered: 4, failedExports: 2 });
      expect(stats.droppedTotal).toBe(0);
    });

    it('drops and counts a batch the collector rejects (HTTP 400), without retrying', async () => {
      const { exporter, queue, stats } = setUp();
      const rejected = Object.assign(new Error('Bad Request'), { code: 400 });
      exporter.answer = () => ({ code: ExportResultCode.FAILED, error: rejected });
      for (let i = 0; i < 4; i++) queue.push(record(i), 0);
      await queue.flushUntil(Date.now() + 1000);
      expect(exporter.batches).toEqual([4]);
      expect(stats.dropped.rejected).toBe(4);
      expect(stats.lastError).toBe('400 Bad Request');
    });
  });

  describe('shutdownUntil', () => {
    it('counts what it could not deliver by the deadline and accepts nothing after', async () => {
      const { exporter, queue, stats } = setUp();
      exporter.answer = () => ({ code: ExportResultCode.FAILED, error: new Error('down') });
      for (let i = 0; i < 6; i++) queue.push(record(i), 0);
      const started = Date.now();
      await queue.shutdownUntil(Date.now() + 300);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(stats.dropped['undelivered-at-exit']).toBe(6);
      queue.push(record(7), 0);
      expect(stats.dropped['after-shutdown']).toBe(1);
      stats.received = 7; // counted by the transport's buffer, which this test leaves out
      expect(stats.lossSummary('http://collector')).toBe(
        'tracelink: 7 of 7 log records were not delivered to http://collector ' +
          '(1 after-shutdown, 6 undelivered-at-exit); last export error: down',
      );
    });
  });
});
