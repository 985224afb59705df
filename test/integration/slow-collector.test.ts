import { startFakeReceiver } from './fake-otlp-receiver.js';
import type { FakeReceiver } from './fake-otlp-receiver.js';
import { closedLogsUrl, indicesInRequest, lossReportsOf, peakRssMiB } from './fixture-output.js';
import { runFixture } from './run-fixture.js';

// Past the budget, timed from the moment the app began to exit: the worker's teardown and
// Node's own exit.
const EXIT_MARGIN_MS = 1500;
const DEFAULT_EXIT_BUDGET_MS = 5000;

jest.setTimeout(120_000);

const APPS = [
  { name: 'pino', fixture: 'pino-app.cjs' },
  { name: 'winston', fixture: 'winston-app.cjs' },
] as const;

/** The counts of the one loss report on stderr (none: nothing lost). */
function lossOf(stderr: string): { lost: number; received: number } | undefined {
  const reports = lossReportsOf(stderr);
  expect(reports.length).toBeLessThanOrEqual(1);
  const [report] = reports;
  return report && { lost: report.lost, received: report.received };
}

describe('the OTLP transports with their defaults', () => {
  let fake: FakeReceiver | undefined;
  afterEach(() => fake?.close());

  describe('against a collector that answers every request 3 s late', () => {
    it.each(APPS)(
      '$name exits 0 within the exit budget, every record delivered or counted',
      async ({ name, fixture }) => {
        fake = await startFakeReceiver([{ kind: 'delay', ms: 3000 }]);
        const count = 200_000;
        const run = await runFixture(fixture, {
          FIXTURE_MODE: 'paced',
          FIXTURE_COUNT: String(count),
          FIXTURE_DURATION_MS: '3000',
          FIXTURE_OPTIONS: JSON.stringify({
            endpoint: fake.logsUrl,
            protocol: 'http/json',
            serviceName: `${name}-slow-collector`,
          }),
        });
        expect(run.stderr).not.toContain('took too long');
        expect(run.code).toBe(0);
        expect(run.exitMillis).toBeLessThan(DEFAULT_EXIT_BUDGET_MS + EXIT_MARGIN_MS);
        const arrived = fake.requests.flatMap(indicesInRequest);
        const loss = lossOf(run.stderr);
        expect(loss?.received ?? count).toBe(count);
        // What was not counted lost was acknowledged by the collector, so it arrived.
        expect(arrived.length).toBeGreaterThanOrEqual(count - (loss?.lost ?? 0));
      },
    );
  });

  describe('with the collector down', () => {
    it('winston never blocks a log call on the collector', async () => {
      const count = 100_000;
      const run = await runFixture('winston-app.cjs', {
        FIXTURE_MODE: 'burst',
        FIXTURE_COUNT: String(count),
        FIXTURE_TIME_CALLS: '1',
        FIXTURE_OPTIONS: JSON.stringify({
          endpoint: await closedLogsUrl(),
          serviceName: 'winston-down',
          maxBufferedBytes: 1_048_576,
        }),
      });
      expect(run.code).toBe(0);
      const worstCallMs = Number(run.report.worstCallMs);
      // A blocked call waits for the exit budget (5 s) or the collector; a busy machine's
      // garbage collection or scheduling pause is far shorter.
      expect(worstCallMs).toBeLessThan(DEFAULT_EXIT_BUDGET_MS / 2);
      expect(lossOf(run.stderr)).toEqual({ lost: count, received: count });
    });

    // Logged over many turns of the event loop, as a server logs: pino's thread-stream moves
    // the lines to the worker between turns (within one synchronous loop it can only hold them).
    it('pino keeps the memory of a 1,000,000-record outage bounded', async () => {
      const count = 1_000_000;
      const run = await runFixture('pino-app.cjs', {
        FIXTURE_MODE: 'paced',
        FIXTURE_COUNT: String(count),
        FIXTURE_DURATION_MS: '5000',
        FIXTURE_REPORT_RSS: '1',
        FIXTURE_OPTIONS: JSON.stringify({
          endpoint: await closedLogsUrl(),
          serviceName: 'pino-down',
        }),
      });
      expect(run.code).toBe(0);
      const peakMiB = peakRssMiB(run);
      // The worker's buffer is bounded at 32 MiB; the app's thread must not hold the rest.
      expect(peakMiB).toBeLessThan(300);
      expect(lossOf(run.stderr)).toEqual({ lost: count, received: count });
    });
  });
});
