import { startCollector } from './collector/start-collector.js';
import type { ReceivedLogRecord, RunningCollector } from './collector/start-collector.js';
import { runFixture } from './run-fixture.js';

let collector: RunningCollector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.stop());

const ms = (record: ReceivedLogRecord | undefined) =>
  Number(BigInt(record?.timeUnixNano ?? '0') / 1_000_000n);

describe.each([
  ['lightweight mode', '0'],
  ['the OpenTelemetry SDK', '1'],
])(
  'trace-aware logging through both OTLP transports to the real collector, with %s',
  (_mode, sdk) => {
    it('delivers a failed request’s debug records with their own times, none of a clean one’s, and only the warnings of an unsampled trace', async () => {
      const serviceName = `trace-aware-${sdk}`;
      const before = (await collector.readLogRecords()).length;
      const run = await runFixture('trace-aware-app.cjs', {
        FIXTURE_SDK: sdk,
        FIXTURE_OPTIONS: JSON.stringify({
          endpoint: collector.logsUrl,
          protocol: 'http/protobuf',
          serviceName,
        }),
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      // ok: pino info + warn, winston info; fail: the same plus both debug lines; unsampled: warn.
      const all = await collector.waitForLogRecords(before + 9);
      await new Promise((resolve) => setTimeout(resolve, 500)); // nothing more may arrive
      const records = (await collector.readLogRecords()).filter(
        (r) => r.resource['service.name'] === serviceName,
      );
      expect(all.length).toBeGreaterThanOrEqual(before + 9);
      const ids = run.report as { ok: string; fail: string; unsampled: string };
      const bodies = (traceId: string) =>
        records
          .filter((r) => r.traceId === traceId)
          .map((r) => String(r.body))
          .sort();
      expect(bodies(ids.ok)).toEqual(['pino info /ok', 'pino warn /ok', 'winston info /ok']);
      expect(bodies(ids.fail)).toEqual([
        'pino debug /fail',
        'pino info /fail',
        'pino warn /fail',
        'winston debug /fail',
        'winston info /fail',
      ]);
      expect(bodies(ids.unsampled)).toEqual(['pino warn /unsampled']);
      // 50 ms passed between the debug and the info calls: the held records keep their own time.
      const byBody = (body: string) => records.find((r) => r.body === body);
      expect(ms(byBody('pino info /fail')) - ms(byBody('pino debug /fail'))).toBeGreaterThanOrEqual(
        45,
      );
      expect(
        ms(byBody('winston info /fail')) - ms(byBody('winston debug /fail')),
      ).toBeGreaterThanOrEqual(45);
      expect(byBody('pino debug /fail')).toMatchObject({
        severityText: 'debug',
        severityNumber: 5,
      });
      expect(run.report).toMatchObject({
        pinoBuffer: { flushed: 1, discarded: 1, held: 0 },
        winstonBuffer: { flushed: 1, discarded: 1, held: 0 },
        pinoSampling: { dropped: 2 },
        winstonSampling: { dropped: 2 },
      });
    });
  },
);
