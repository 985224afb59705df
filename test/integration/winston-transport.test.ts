import type { SpanContext } from '@opentelemetry/api';
import { otlpExportCases } from './collector/otlp-export-cases.js';
import { startCollector } from './collector/start-collector.js';
import type { ReceivedLogRecord, RunningCollector } from './collector/start-collector.js';
import { pollUntil } from './poll-until.js';
import { runFixture } from './run-fixture.js';

let collector: RunningCollector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.stop());

const EXPORT_CASES = otlpExportCases(() => collector);

async function recordsOf(serviceName: string, atLeast: number): Promise<ReceivedLogRecord[]> {
  const all = await collector.waitForLogRecords(atLeast, 30_000);
  return all.filter((r) => r.resource['service.name'] === serviceName);
}

describe('tracelink/winston-transport against the real collector', () => {
  describe.each(EXPORT_CASES)('over $protocol, compression $compression', (exportCase) => {
    it('delivers every record with the context captured at the call', async () => {
      const serviceName = exportCase.serviceName('winston');
      const before = (await collector.readLogRecords()).length;
      const run = await runFixture('winston-app.cjs', {
        FIXTURE_OPTIONS: exportCase.fixtureOptions(serviceName),
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const records = new Map((await recordsOf(serviceName, before + 6)).map((r) => [r.body, r]));
      expect(records.size).toBe(6);
      const sampled = run.report.sampled as SpanContext;
      const unsampled = run.report.unsampled as SpanContext;
      expect(records.get('hello world')).toMatchObject({
        severityNumber: 9,
        severityText: 'info',
        traceId: sampled.traceId,
        spanId: sampled.spanId,
        flags: 1,
        attributes: { user: 'ada', nested: { a: 1, b: [1, 'two'] } },
        resource: { 'service.name': serviceName },
      });
      expect(records.get('hello world')?.attributes).not.toHaveProperty(['timestamp']);
      expect(records.get('could not save')).toMatchObject({
        severityNumber: 17,
        spanId: sampled.spanId,
        attributes: {
          'exception.type': 'Error',
          'exception.message': 'save failed',
          'exception.stacktrace': expect.stringMatching(/save failed[\s\S]*disk full/) as unknown,
        },
      });
      expect(records.get('GET /orders')).toMatchObject({
        severityText: 'http',
        spanId: sampled.spanId,
      });
      expect(records.get('query done')).toMatchObject({
        severityNumber: 5,
        spanId: sampled.spanId,
        attributes: { component: 'db' },
      });
      expect(records.get('not sampled')).toMatchObject({
        severityNumber: 13,
        traceId: unsampled.traceId,
        flags: 0,
      });
      expect(records.get('outside any span')).toMatchObject({ traceId: '', spanId: '' });
    });
  });

  it('reads the custom trace fields its fields option names, and drops them from the attributes', async () => {
    const serviceName = 'winston-custom-fields';
    const fields = { traceId: 'tid', spanId: 'sid', traceFlags: 'tf' };
    const before = (await collector.readLogRecords()).length;
    const run = await runFixture('winston-app.cjs', {
      FIXTURE_FIELDS: JSON.stringify(fields),
      FIXTURE_OPTIONS: JSON.stringify({ endpoint: collector.logsUrl, serviceName, fields }),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const records = new Map((await recordsOf(serviceName, before + 7)).map((r) => [r.body, r]));
    expect(records.size).toBe(7);
    const sampled = run.report.sampled as SpanContext;
    const carried = run.report.carried as SpanContext;
    // In a span: the context captured at the call, which the custom fields repeat.
    expect(records.get('hello world')).toMatchObject({
      traceId: sampled.traceId,
      spanId: sampled.spanId,
      flags: 1,
      attributes: { user: 'ada', nested: { a: 1, b: [1, 'two'] } },
    });
    // Outside any span: the ids the custom fields carry.
    expect(records.get('carried')).toMatchObject({
      traceId: carried.traceId,
      spanId: carried.spanId,
      flags: 1,
    });
    for (const record of records.values()) {
      for (const key of ['tid', 'sid', 'tf']) expect(record.attributes).not.toHaveProperty([key]);
    }
  });

  describe('at the end', () => {
    it.each([
      ['the process ends on its own', 'natural'],
      ['a bare process.exit() right after logging', 'exit'],
      ['logger.end(), then finish', 'end'],
    ])('loses nothing when %s', async (_name, end) => {
      const serviceName = `winston-end-${end}`;
      const count = 20_000;
      const before = (await collector.readLogRecords()).length;
      const run = await runFixture('winston-app.cjs', {
        FIXTURE_MODE: 'burst',
        FIXTURE_COUNT: String(count),
        FIXTURE_END: end,
        FIXTURE_OPTIONS: JSON.stringify({ endpoint: collector.logsUrl, serviceName }),
      });
      expect(run.stderr).toBe('');
      if (end === 'end') {
        // 'finish' comes after the worker confirmed every export: the records are already there.
        expect(run.stdout).toContain('finished');
        const now = (await collector.readLogRecords()).filter(
          (r) => r.resource['service.name'] === serviceName,
        );
        expect(now.length).toBeGreaterThan(0);
      }
      const records = await recordsOf(serviceName, before + count);
      expect(records).toHaveLength(count);
      expect(new Set(records.map((r) => r.attributes.i)).size).toBe(count);
    });

    // Once its last log call has run, the app no longer references its logger, while the worker
    // still holds the last partial batch (it waits for scheduledDelayMillis). A GC then must
    // not lose it: thread-stream terminates the worker of a collected stream and the exit hook
    // holds it weakly, so the transport itself keeps its stream until the worker has closed.
    it('loses nothing when a GC runs before the process ends on its own', async () => {
      const serviceName = `winston-end-after-gc-${Date.now()}`; // a retry starts afresh
      const count = 2000; // batches of 512 go out as they fill; the last 464 wait for the exit
      const run = await runFixture('winston-app.cjs', {
        FIXTURE_MODE: 'burst',
        FIXTURE_COUNT: String(count),
        FIXTURE_GC_BEFORE_EXIT: '1',
        FIXTURE_OPTIONS: JSON.stringify({ endpoint: collector.logsUrl, serviceName }),
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      let records: ReceivedLogRecord[] = [];
      await pollUntil(async () => {
        const all = await collector.readLogRecords();
        records = all.filter((r) => r.resource['service.name'] === serviceName);
        return records.length >= count;
      }, 10_000);
      const indices = records.map((r) => r.attributes.i as number).sort((a, b) => a - b);
      expect(indices).toEqual(Array.from({ length: count }, (_, i) => i));
    });
  });
});
