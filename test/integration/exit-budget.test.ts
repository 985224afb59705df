import { closedLogsUrl, lossReportsOf } from './fixture-output.js';
import { runFixture } from './run-fixture.js';

// Past the budget, timed from the moment the app began to exit: each transport's worker
// counting and reporting what it holds, and Node's own exit.
const EXIT_MARGIN_MS = 1500;

jest.setTimeout(120_000);

describe('one exit budget per process', () => {
  it.each([
    { pino: 10, winston: 0, end: 'natural' },
    { pino: 0, winston: 10, end: 'natural' },
    { pino: 5, winston: 5, end: 'exit' },
  ])(
    'with the collector down, $pino pino and $winston winston transports ending $end exit within one budget, each reporting its loss',
    async ({ pino, winston, end }) => {
      const budget = 2000;
      const count = 20;
      const endpoint = await closedLogsUrl();
      const run = await runFixture(
        'many-loggers-app.cjs',
        {
          FIXTURE_PINO_LOGGERS: String(pino),
          FIXTURE_WINSTON_LOGGERS: String(winston),
          FIXTURE_COUNT: String(count),
          FIXTURE_END: end,
          FIXTURE_START_DELAY_MS: '3000',
          FIXTURE_OPTIONS: JSON.stringify({ endpoint, exitBudgetMillis: budget }),
        },
        { timeoutMs: 110_000 },
      );
      expect(run.code).toBe(0);
      expect(run.exitMillis).toBeLessThan(budget + EXIT_MARGIN_MS);
      const reports = lossReportsOf(run.stderr);
      expect(reports).toHaveLength(pino + winston);
      for (const { lost, received } of reports) {
        expect(lost).toBe(count);
        expect(received).toBe(count);
      }
    },
  );
});
