import { startCollector } from './collector/start-collector.js';
import type { ReceivedLogRecord, RunningCollector } from './collector/start-collector.js';
import { runFixture } from './run-fixture.js';

let collector: RunningCollector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.stop());

const BODIES = ['before start', 'hello', 'low disk', 'save failed', 'outside any span'];

async function recordsOf(serviceName: string, count: number): Promise<ReceivedLogRecord[]> {
  const all = await collector.waitForLogRecords(0);
  let mine = all.filter((r) => r.resource['service.name'] === serviceName);
  for (let i = 0; i < 50 && mine.length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    mine = (await collector.readLogRecords()).filter(
      (r) => r.resource['service.name'] === serviceName,
    );
  }
  return mine;
}

describe.each(['pino', 'winston'])(
  'tracelink/otel-logs with %s, the real NodeSDK and collector',
  (logger) => {
    it("emits every record once through the app's SDK, the one logged before sdk.start() included", async () => {
      const serviceName = `otel-logs-${logger}`;
      const run = await runFixture('otel-logs-app.cjs', {
        FIXTURE_LOGGER: logger,
        FIXTURE_ENDPOINT: collector.logsUrl,
        FIXTURE_SERVICE: serviceName,
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const records = await recordsOf(serviceName, BODIES.length);
      expect(records.map((r) => r.body).sort()).toEqual([...BODIES].sort());
      const byBody = new Map(records.map((r) => [r.body, r]));
      const { traceId, spanId } = run.report as { traceId: string; spanId: string };
      expect(byBody.get('hello')).toMatchObject({
        severityNumber: 9,
        severityText: 'info',
        traceId,
        spanId,
        attributes: { user: 'ada' },
        scope: { name: 'tracelink' },
      });
      expect(byBody.get('low disk')).toMatchObject({ severityNumber: 13, attributes: { free: 3 } });
      expect(byBody.get('save failed')).toMatchObject({
        severityNumber: 17,
        traceId,
        attributes: { 'exception.type': 'TypeError', 'exception.message': 'disk full' },
      });
      expect(byBody.get('before start')).toMatchObject({ attributes: { phase: 'boot' } });
      expect(byBody.get('outside any span')).toMatchObject({ traceId: '' });
      expect(run.report.stats).toMatchObject({ received: 5, emitted: 5, held: 0 });
    });

    it(`leaves the records to instrumentation-${logger}'s log sending, so each arrives once`, async () => {
      const serviceName = `otel-logs-${logger}-instrumented`;
      const run = await runFixture('otel-logs-app.cjs', {
        FIXTURE_LOGGER: logger,
        FIXTURE_INSTRUMENT: '1',
        FIXTURE_ENDPOINT: collector.logsUrl,
        FIXTURE_SERVICE: serviceName,
        OTEL_LOG_LEVEL: 'warn',
      });
      expect(run.code).toBe(0);
      await recordsOf(serviceName, BODIES.length);
      // Give a second copy time to arrive, were there one.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const again = (await collector.readLogRecords()).filter(
        (r) => r.resource['service.name'] === serviceName,
      );
      expect(again.map((r) => r.body).sort()).toEqual([...BODIES].sort());
      // Sent by the instrumentation (instrumentation-winston through @opentelemetry/winston-transport).
      const scope =
        logger === 'pino'
          ? '@opentelemetry/instrumentation-pino'
          : '@opentelemetry/winston-transport';
      expect(new Set(again.map((r) => r.scope.name))).toEqual(new Set([scope]));
      expect(run.report.stats).toMatchObject({ received: 5, emitted: 0, leftToInstrumentation: 5 });
      // NodeSDK's diag logger (OTEL_LOG_LEVEL) writes to the console: said once.
      const said = run.stderr.split(
        `instrumentation-${logger} already sends this ${logger} logger`,
      );
      expect(said).toHaveLength(2);
    });
  },
);

describe('QueuedLogRecordProcessor in NodeSDK', () => {
  it('delivers what it holds when the app ends without sdk.shutdown()', async () => {
    const serviceName = 'otel-logs-natural-end';
    const run = await runFixture('otel-logs-app.cjs', {
      FIXTURE_ENDPOINT: collector.logsUrl,
      FIXTURE_SERVICE: serviceName,
      FIXTURE_END: 'natural',
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const records = await recordsOf(serviceName, BODIES.length);
    expect(records.map((r) => r.body).sort()).toEqual([...BODIES].sort());
  });

  it('counts and reports what it holds at process.exit() without sdk.shutdown()', async () => {
    const run = await runFixture('otel-logs-app.cjs', {
      FIXTURE_ENDPOINT: collector.logsUrl,
      FIXTURE_SERVICE: 'otel-logs-exit',
      FIXTURE_END: 'exit',
    });
    expect(run.code).toBe(0);
    // The batch waits for its 1 s delay: at exit all five are still held.
    expect(run.stderr).toContain(
      'tracelink: 5 of 5 log records were not delivered to OTLPLogExporter (5 undelivered-at-exit)',
    );
  });
});
