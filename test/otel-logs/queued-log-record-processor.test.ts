import { diag, DiagLogLevel } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { LogRecordExporter, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { InvalidOptionError } from 'tracelink';
import { QueuedLogRecordProcessor } from 'tracelink/otel-logs';
import type { QueuedLogRecordProcessorOptions } from 'tracelink/otel-logs';

/** A LogRecordExporter whose answers the test scripts: failures first, or held until released. */
class ScriptedExporter implements LogRecordExporter {
  readonly batches: ReadableLogRecord[][] = [];
  failures: { code: number; message: string }[] = [];
  holding = false;
  private held: (() => void)[] = [];

  export(records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    const answer = () => {
      const failure = this.failures.shift();
      if (failure !== undefined) {
        const error = Object.assign(new Error(failure.message), { code: failure.code });
        return done({ code: ExportResultCode.FAILED, error });
      }
      this.batches.push(records);
      done({ code: ExportResultCode.SUCCESS });
    };
    if (this.holding) this.held.push(answer);
    else setImmediate(answer);
  }
  release(): void {
    this.holding = false;
    for (const answer of this.held.splice(0)) answer();
  }
  get records(): ReadableLogRecord[] {
    return this.batches.flat();
  }
  shutdown = () => Promise.resolve();
  forceFlush = () => Promise.resolve();
}

function setUp(options: Partial<QueuedLogRecordProcessorOptions> = {}) {
  const exporter = new ScriptedExporter();
  const processor = new QueuedLogRecordProcessor({ exporter, destination: 'the test', ...options });
  const provider = new LoggerProvider({ processors: [processor] });
  return { exporter, processor, provider, logger: provider.getLogger('test') };
}

// The reports go to stderr (written synchronously, past process.stderr) and through diag.
let reports: string[];
beforeEach(() => {
  reports = [];
  const take = (line: string) => void reports.push(line);
  diag.setLogger(
    { verbose() {}, debug() {}, info: take, warn: take, error: take },
    DiagLogLevel.INFO,
  );
});
afterEach(() => diag.disable());

describe('QueuedLogRecordProcessor', () => {
  it('delivers every record emitted through a LoggerProvider, in batches of maxExportBatchSize', async () => {
    const { exporter, processor, provider, logger } = setUp({ maxExportBatchSize: 2 });
    for (let i = 0; i < 5; i++) logger.emit({ body: `record ${i}`, attributes: { i } });
    await provider.forceFlush();
    expect(exporter.records.map((r) => r.body)).toEqual([0, 1, 2, 3, 4].map((i) => `record ${i}`));
    expect(Math.max(...exporter.batches.map((b) => b.length))).toBe(2);
    expect(processor.stats()).toMatchObject({ received: 5, delivered: 5, buffered: 0 });
    await provider.shutdown();
  });

  it('keeps a batch whose export failed and sends it again until it is delivered', async () => {
    const { exporter, processor, provider, logger } = setUp();
    exporter.failures = [{ code: 503, message: 'Service Unavailable' }];
    logger.emit({ body: 'kept' });
    await processor.forceFlush();
    expect(exporter.records.map((r) => r.body)).toEqual(['kept']);
    expect(processor.stats()).toMatchObject({ delivered: 1, failedExports: 1, failing: false });
    expect(Object.values(processor.stats().dropped).every((n) => n === 0)).toBe(true);
    await provider.shutdown();
  });

  it('drops a batch the collector refused for good (HTTP 400), counted as rejected', async () => {
    const { exporter, processor, provider, logger } = setUp();
    exporter.failures = [{ code: 400, message: 'Bad Request' }];
    logger.emit({ body: 'refused' });
    await processor.forceFlush();
    expect(processor.stats()).toMatchObject({ delivered: 0, dropped: { rejected: 1 } });
    expect(reports.join('\n')).toMatch(/exporting logs to the test failed: HTTP 400/);
    await provider.shutdown();
  });

  it('exports the record as it was at onEmit: not what a later processor or the caller changes', async () => {
    const exporter = new ScriptedExporter();
    const processor = new QueuedLogRecordProcessor({ exporter });
    const later = {
      onEmit: (record: SdkLogRecord) => void record.setAttribute('late', true).setBody('changed'),
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    const provider = new LoggerProvider({ processors: [processor, later] });
    const order = { items: ['a'] };
    provider.getLogger('test').emit({ body: 'original', attributes: { order } });
    order.items.push('b');
    await processor.forceFlush();
    const [record] = exporter.records;
    expect(record?.body).toBe('original');
    expect(record?.attributes).toEqual({ order: { items: ['a'] } });
    await provider.shutdown();
  });

  it('holds records past a full queue, and drops only past maxBufferedBytes, counted as buffer-full', async () => {
    const { exporter, processor, provider, logger } = setUp({
      maxQueueSize: 2,
      maxExportBatchSize: 2,
      maxBufferedBytes: 2000,
    });
    exporter.holding = true;
    for (let i = 0; i < 50; i++) logger.emit({ body: 'x'.repeat(100) });
    const stats = processor.stats();
    expect(stats.dropped['buffer-full']).toBeGreaterThan(0);
    expect(stats.dropped['queue-full']).toBe(0);
    expect(stats.received).toBe(50);
    const kept = 50 - stats.dropped['buffer-full'];
    exporter.release();
    await processor.forceFlush();
    expect(exporter.records).toHaveLength(kept);
    expect(processor.stats()).toMatchObject({ delivered: kept, buffered: 0 });
    await provider.shutdown();
  });

  it('counts records emitted after shutdown as after-shutdown; shutdown twice is one shutdown', async () => {
    const { processor, logger } = setUp();
    logger.emit({ body: 'before' });
    const first = processor.shutdown();
    expect(processor.shutdown()).toBe(first);
    await first;
    logger.emit({ body: 'after' });
    expect(processor.stats()).toMatchObject({
      received: 2,
      delivered: 1,
      dropped: { 'after-shutdown': 1 },
    });
  });

  it('throws InvalidOptionError for a missing exporter and an unknown option', () => {
    expect(() => new QueuedLogRecordProcessor({} as never)).toThrow(InvalidOptionError);
    const exporter = new ScriptedExporter();
    expect(() => new QueuedLogRecordProcessor({ exporter, maxQueue: 1 } as never)).toThrow(
      /maxQueue/,
    );
    expect(() => new QueuedLogRecordProcessor({ exporter, maxQueueSize: -1 })).toThrow(
      InvalidOptionError,
    );
  });
});
