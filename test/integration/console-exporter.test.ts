import { runFixture } from './run-fixture.js';

jest.setTimeout(60_000);

const APPS = [
  { name: 'pino', fixture: 'pino-app.cjs' },
  { name: 'winston', fixture: 'winston-app.cjs' },
] as const;

describe("the OTLP transports with exporter: 'console'", () => {
  it.each(
    APPS.flatMap((app) => [
      { ...app, end: 'natural' },
      { ...app, end: 'exit' },
    ]),
  )(
    '$name prints every record, also those flushed when the app ends ($end)',
    async ({ fixture, end }) => {
      // Fewer records than a batch, and a long delay: they are all still held when the app
      // ends, and go out through the exit path.
      const run = await runFixture(fixture, {
        FIXTURE_MODE: 'burst',
        FIXTURE_COUNT: '20',
        FIXTURE_END: end,
        FIXTURE_OPTIONS: JSON.stringify({ exporter: 'console', scheduledDelayMillis: 60_000 }),
      });
      expect(run.code).toBe(0);
      const printed = [...run.stdout.matchAll(/\bi: (\d+)\b/g)].map(([, i]) => Number(i));
      expect(printed.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(run.stdout).toContain("body: 'burst record'");
    },
  );
});
