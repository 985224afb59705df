import { startCollector } from './collector/start-collector.js';
import type { RunningCollector } from './collector/start-collector.js';
import { runFixture } from './run-fixture.js';

// An invalid option of the pino transport is found in pino's worker. Thrown there, it ended the
// worker, and the app crashed on an 'error' no try/catch could catch (~150 ms after start, or
// at its next log call: "the worker has exited", without the reason). Now the worker says why,
// once, and counts every record it cannot send.
const CASES: readonly [string, Record<string, unknown>, string][] = [
  [
    'a severity out of range',
    { severityOverrides: { info: 999 } },
    'invalid option `severityOverrides.info`: expected an integer from 0 to 24, received 999',
  ],
  [
    'severityOverrides as a name',
    { severityOverrides: 'INFO' },
    'invalid option `severityOverrides`: expected an object of level name → 0–24, received "INFO"',
  ],
  [
    'an endpoint without a scheme',
    { endpoint: '127.0.0.1:4318/v1/logs' },
    'invalid option `endpoint`: expected an http:// or https:// URL (did you mean `http://127.0.0.1:4318/v1/logs`?), received "127.0.0.1:4318/v1/logs"',
  ],
  [
    'headers as a string',
    { headers: 'str' },
    'invalid option `headers`: expected an object of name → string, received "str"',
  ],
  [
    'a misspelt option',
    { endpont: 'http://127.0.0.1:4318/v1/logs' },
    'invalid option `endpont`: expected a known option name (did you mean `endpoint`?), received "http://127.0.0.1:4318/v1/logs"',
  ],
];

// pino-app.cjs logs five records in its default mode.
const RECORDS = 5;

let collector: RunningCollector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.stop());

describe('the pino transport with an invalid option', () => {
  it.each(CASES)(
    'does not crash the app for %s: one line names the option, every record is counted',
    async (_case, invalid, reason) => {
      const serviceName = `invalid-${_case.replace(/\W+/g, '-')}`;
      const run = await runFixture('pino-app.cjs', {
        FIXTURE_OPTIONS: JSON.stringify({ endpoint: collector.logsUrl, serviceName, ...invalid }),
      });
      expect(run.code).toBe(0);
      // Logged to the end: its report line comes after the last log call.
      expect(run.report).toHaveProperty('endingAt');
      expect(run.stderr.split('\n').filter((line) => line !== '')).toEqual([
        `tracelink: ${reason}; the OTLP transport sends no record: each is counted as dropped (invalid-options)`,
        `tracelink: ${RECORDS} of ${RECORDS} log records were not delivered to the collector (${RECORDS} invalid-options); ${reason}`,
      ]);
      const shipped = (await collector.readLogRecords()).filter(
        (r) => r.resource['service.name'] === serviceName,
      );
      expect(shipped).toEqual([]);
    },
  );
});
