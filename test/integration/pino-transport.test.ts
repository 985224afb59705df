import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpanContext } from '@opentelemetry/api';
import { otlpExportCases } from './collector/otlp-export-cases.js';
import { startCollector } from './collector/start-collector.js';
import type { ReceivedLogRecord, RunningCollector } from './collector/start-collector.js';
import { runFixture } from './run-fixture.js';

let collector: RunningCollector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.stop());

const EXPORT_CASES = otlpExportCases(() => collector);

function byBody(
  records: ReceivedLogRecord[],
  serviceName: string,
): Map<unknown, ReceivedLogRecord> {
  return new Map(
    records.filter((r) => r.resource['service.name'] === serviceName).map((r) => [r.body, r]),
  );
}

describe('tracelink/pino-transport against the real collector', () => {
  describe.each(EXPORT_CASES)('over $protocol, compression $compression', (exportCase) => {
    it('delivers every record with body, severity, attributes, exception, resource and trace context', async () => {
      const serviceName = exportCase.serviceName('pino');
      const before = (await collector.readLogRecords()).length;
      const run = await runFixture('pino-app.cjs', {
        FIXTURE_OPTIONS: exportCase.fixtureOptions(serviceName),
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const records = byBody(await collector.waitForLogRecords(before + 5), serviceName);
      expect(records.size).toBe(5);
      const sampled = run.report.sampled as SpanContext;
      const unsampled = run.report.unsampled as SpanContext;

      const hello = records.get('hello world');
      expect(hello).toMatchObject({
        severityNumber: 9,
        severityText: 'info',
        traceId: sampled.traceId,
        spanId: sampled.spanId,
        flags: 1,
        attributes: { user: 'ada', nested: { a: 1, b: [1, 'two'] } },
        resource: {
          'service.name': serviceName,
          'process.pid': expect.any(Number) as unknown,
          'host.name': expect.any(String) as unknown,
        },
      });
      // The trace fields became the record's own fields; pino's bookkeeping is not an attribute.
      for (const key of [
        'trace_id',
        'span_id',
        'trace_flags',
        'level',
        'time',
        'msg',
        'pid',
        'hostname',
      ]) {
        expect(hello?.attributes).not.toHaveProperty([key]);
      }
      expect(Number(BigInt(hello?.timeUnixNano ?? '0') / 1_000_000n)).toBeGreaterThan(
        Date.now() - 60_000,
      );

      expect(records.get('could not save')).toMatchObject({
        severityNumber: 17,
        severityText: 'error',
        spanId: sampled.spanId,
        attributes: {
          'exception.type': 'Error',
          // pino's error serializer appends the causes' messages, as pino's own line shows it.
          'exception.message': 'save failed: disk full',
          'exception.stacktrace': expect.stringMatching(/save failed[\s\S]*disk full/) as unknown,
        },
      });
      expect(records.get('audited')).toMatchObject({
        severityText: 'audit',
        attributes: { action: 'login' },
      });
      expect(records.get('audited')?.severityNumber).toBeGreaterThan(9);
      expect(records.get('audited')?.severityNumber).toBeLessThan(13);
      expect(records.get('not sampled')).toMatchObject({
        severityNumber: 13,
        traceId: unsampled.traceId,
        spanId: unsampled.spanId,
        flags: 0,
      });
      expect(records.get('outside any span')).toMatchObject({ traceId: '', spanId: '' });
    });
  });

  it('reads the custom trace fields its fields option names, and drops them from the attributes', async () => {
    const serviceName = 'pino-custom-fields';
    const fields = { traceId: 'tid', spanId: 'sid', traceFlags: 'tf' };
    const before = (await collector.readLogRecords()).length;
    const run = await runFixture('pino-app.cjs', {
      FIXTURE_FIELDS: JSON.stringify(fields),
      FIXTURE_OPTIONS: JSON.stringify({ endpoint: collector.logsUrl, serviceName, fields }),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const records = byBody(await collector.waitForLogRecords(before + 6), serviceName);
    expect(records.size).toBe(6);
    const sampled = run.report.sampled as SpanContext;
    const unsampled = run.report.unsampled as SpanContext;
    const carried = run.report.carried as SpanContext;
    expect(records.get('hello world')).toMatchObject({
      traceId: sampled.traceId,
      spanId: sampled.spanId,
      flags: 1,
      attributes: { user: 'ada', nested: { a: 1, b: [1, 'two'] } },
    });
    expect(records.get('not sampled')).toMatchObject({
      traceId: unsampled.traceId,
      spanId: unsampled.spanId,
      flags: 0,
    });
    expect(records.get('carried')).toMatchObject({
      traceId: carried.traceId,
      spanId: carried.spanId,
      flags: 1,
    });
    for (const record of records.values()) {
      for (const key of ['tid', 'sid', 'tf', 'trace_id', 'span_id']) {
        expect(record.attributes).not.toHaveProperty([key]);
      }
    }
  });

  it('works beside pino/file among several targets, with pino’s messageKey and errorKey', async () => {
    const serviceName = 'pino-targets';
    const file = join(collector.dir, 'pino-file.log');
    const before = (await collector.readLogRecords()).length;
    const run = await runFixture('pino-targets-app.cjs', {
      FIXTURE_FILE: file,
      FIXTURE_OPTIONS: JSON.stringify({ endpoint: collector.logsUrl, serviceName }),
    });
    expect(run.code).toBe(0);
    const records = byBody(await collector.waitForLogRecords(before + 3), serviceName);
    expect(records.get('with a custom message key')).toMatchObject({ attributes: { order: 7 } });
    expect(records.get('with a custom message key')?.attributes).not.toHaveProperty(['message']);
    expect(records.get('with a custom error key')).toMatchObject({
      severityNumber: 17,
      attributes: { 'exception.type': 'TypeError', 'exception.message': 'bad input' },
    });
    expect(records.get('after the raw line')).toBeDefined();
    const fileLines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(fileLines).toHaveLength(3);
  });

  it.each(['gcp', 'ecs'])(
    'reads the level and time of lines whose formatter renamed them (%s style)',
    async (format) => {
      const serviceName = `pino-format-${format}`;
      const before = (await collector.readLogRecords()).length;
      const run = await runFixture('pino-formatters-app.cjs', {
        FIXTURE_FORMAT: format,
        FIXTURE_OPTIONS: JSON.stringify({ endpoint: collector.logsUrl, serviceName }),
      });
      expect(run.code).toBe(0);
      const records = byBody(await collector.waitForLogRecords(before + 2), serviceName);
      const time = '1700000000123000000';
      expect(records.get('disk almost full')).toMatchObject({
        timeUnixNano: time,
        severityNumber: 13,
        severityText: format === 'gcp' ? 'WARN' : 'warn',
        attributes: { order: 7 },
      });
      expect(records.get('payment failed')).toMatchObject({
        timeUnixNano: time,
        severityNumber: 17,
        attributes: {},
      });
    },
  );

  it('ships a line it cannot parse as a raw message, and keeps working', async () => {
    const serviceName = 'pino-raw-line';
    const before = (await collector.readLogRecords()).length;
    const run = await runFixture('pino-targets-app.cjs', {
      FIXTURE_SINGLE: '1',
      FIXTURE_OPTIONS: JSON.stringify({ endpoint: collector.logsUrl, serviceName }),
    });
    expect(run.code).toBe(0);
    const records = byBody(await collector.waitForLogRecords(before + 4), serviceName);
    expect(records.get('this line is not JSON')).toMatchObject({ severityNumber: 0 });
    expect(records.get('after the raw line')).toMatchObject({ severityNumber: 9 });
  });

  describe('at exit', () => {
    it.each([
      ['the process ends on its own', 'natural', false],
      ['a bare process.exit() right after logging', 'exit', false],
      // pino's sync: true — the main thread writes into the shared buffer and waits when full.
      ["the process ends on its own, with pino's sync: true", 'natural', true],
      ["a bare process.exit() right after logging, with pino's sync: true", 'exit', true],
    ])('loses nothing when %s', async (_name, end, sync) => {
      const serviceName = `pino-exit-${end}${sync ? '-sync' : ''}`;
      const count = 20_000;
      const before = (await collector.readLogRecords()).length;
      const run = await runFixture('pino-app.cjs', {
        FIXTURE_MODE: 'burst',
        FIXTURE_COUNT: String(count),
        FIXTURE_END: end,
        FIXTURE_PINO_SYNC: sync ? '1' : '0',
        FIXTURE_OPTIONS: JSON.stringify({ endpoint: collector.logsUrl, serviceName }),
      });
      expect(run.stderr).toBe('');
      const records = (await collector.waitForLogRecords(before + count, 30_000)).filter(
        (r) => r.resource['service.name'] === serviceName,
      );
      expect(records).toHaveLength(count);
      expect(new Set(records.map((r) => r.attributes.i)).size).toBe(count);
    });
  });
});
