import { startCollector } from './collector/start-collector.js';
import type { ReceivedLogRecord, RunningCollector } from './collector/start-collector.js';
import { findFreePorts } from './free-ports.js';
import { runFixture } from './run-fixture.js';

// The README's old advice — `transport.end()`, then wait for its 'close' — never resolves: pino
// unrefs the worker once it is ready, so nothing keeps the event loop alive until the worker
// has exited, and the process ends first (ESM: code 13; CommonJS: the code after the await
// never runs). `closePinoTransport` keeps the process alive until then, bounded.
const FIXTURES = [
  ['an ES module, with a top-level await', 'pino-close-app.mjs'],
  ['CommonJS, in an async function', 'pino-close-app.cjs'],
] as const;

// Past the budget, from the fixture's own timestamps around the await: the worker's report
// and its exit, and the 'close' that follows.
const CLOSE_MARGIN_MS = 1500;
const COUNT = 50;

jest.setTimeout(60_000);

let collector: RunningCollector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.stop());

function indicesOf(records: readonly ReceivedLogRecord[], serviceName: string): number[] {
  return records
    .filter((r) => r.resource['service.name'] === serviceName)
    .map((r) => r.attributes.i as number)
    .sort((a, b) => a - b);
}

describe('closePinoTransport', () => {
  describe.each(FIXTURES)('in %s', (_case, fixture) => {
    it('resolves once the collector has the records, and the code after the await runs', async () => {
      const serviceName = `close-${fixture}`;
      const before = (await collector.readLogRecords()).length;
      const run = await runFixture(fixture, {
        FIXTURE_COUNT: String(COUNT),
        FIXTURE_OPTIONS: JSON.stringify({ endpoint: collector.logsUrl, serviceName }),
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      // Printed by the code after the await.
      expect(Object.keys(run.report).sort()).toEqual(['closedAt', 'endingAt']);
      // Every record was acknowledged before the await resolved (no loss report above); the
      // collector's file exporter writes them within its flush interval.
      const records = await collector.waitForLogRecords(before + COUNT);
      expect(indicesOf(records, serviceName)).toEqual(Array.from({ length: COUNT }, (_, i) => i));
    });

    it('with the collector down, resolves within the exit budget, the loss reported', async () => {
      const [port] = await findFreePorts(1);
      const budget = 1000;
      const run = await runFixture(fixture, {
        FIXTURE_COUNT: String(COUNT),
        FIXTURE_OPTIONS: JSON.stringify({
          endpoint: `http://127.0.0.1:${port}/v1/logs`,
          exitBudgetMillis: budget,
        }),
      });
      expect(run.code).toBe(0);
      const { endingAt, closedAt } = run.report as { endingAt: number; closedAt: number };
      expect(closedAt - endingAt).toBeLessThan(budget + CLOSE_MARGIN_MS);
      expect(run.stderr).toMatch(
        new RegExp(`tracelink: ${COUNT} of ${COUNT} log records were not delivered to `),
      );
    });
  });
});
