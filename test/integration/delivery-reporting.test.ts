import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeReceiver } from './fake-otlp-receiver.js';
import type { FakeReceiver, FakeResponse } from './fake-otlp-receiver.js';
import { findFreePorts } from './free-ports.js';
import { pollUntil } from './poll-until.js';
import { runFixture } from './run-fixture.js';
import type { FixtureRun } from './run-fixture.js';
import { DROP_REASONS } from '../../transports/transport-stats.js';
import type { TransportStats } from '../../transports/transport-stats.js';

// The finding 5 and its neighbours, for both transports: a server whose collector
// refuses it (401), is named by a wrong path (404) or is unreachable says so on stderr while
// it runs — at the first failed export, and again when delivery works — and the app can read
// the transport's counts on its own thread at any time. Apps here log until the test stops
// them with SIGTERM (no exitOnSignals(): the process dies at once), so every line asserted
// was printed while the app still ran.
const APPS = [
  { name: 'pino', fixture: 'pino-app.cjs' },
  { name: 'winston', fixture: 'winston-app.cjs' },
] as const;

// Polls of a live app: long enough for a loaded 2-core machine; nothing asserts a duration.
const WAIT_MS = 30_000;

jest.setTimeout(90_000);

/** An app started in the background, its output read as it comes. */
interface LiveApp {
  stderr(): string;
  /** The `{"stats":…}` lines printed so far (FIXTURE_STATS_EVERY_MS), parsed. */
  stats(): TransportStats[];
  exited(): boolean;
  /** Polls until `probe` holds; fails with the app's stderr so far. */
  waitFor(what: string, probe: () => boolean): Promise<void>;
  /** SIGTERM, and how it ended. */
  stop(): Promise<FixtureRun>;
}

/** Apps still running: a failed test stops its app too. */
const running = new Set<LiveApp>();
afterEach(async () => {
  await Promise.all([...running].map((app) => app.stop()));
});

function startApp(
  fixture: string,
  env: Record<string, string>,
  mode: Record<string, string> = { FIXTURE_MODE: 'paced' },
): LiveApp {
  let stderr = '';
  let stdout = '';
  let exited = false;
  let pid = 0;
  const run = runFixture(
    fixture,
    { ...mode, FIXTURE_STATS_EVERY_MS: '100', ...env },
    {
      onSpawn: (p) => (pid = p),
      onStderr: (chunk) => (stderr += chunk),
      onStdout: (chunk) => (stdout += chunk),
    },
  ).finally(() => (exited = true));
  const app: LiveApp = {
    stderr: () => stderr,
    stats: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{"stats"'))
        .map((line) => (JSON.parse(line) as { stats: TransportStats }).stats),
    exited: () => exited,
    async waitFor(what, probe) {
      if (!(await pollUntil(() => probe() || exited, WAIT_MS)) || !probe()) {
        throw new Error(`${what}: not seen while the app ran; its stderr:\n${stderr}`);
      }
    },
    async stop() {
      running.delete(app);
      if (!exited) process.kill(pid, 'SIGTERM');
      return run;
    },
  };
  running.add(app);
  return app;
}

/** Lines of `stderr` that start with `prefix`. */
const linesStarting = (stderr: string, prefix: string) =>
  stderr.split('\n').filter((line) => line.startsWith(prefix));

/** An app logging 100 records a second for up to a minute. */
const LOGGING_A_MINUTE = { FIXTURE_COUNT: '6000', FIXTURE_DURATION_MS: '60000' };

describe('the OTLP transports report delivery while the app runs', () => {
  let fake: FakeReceiver | undefined;
  afterEach(() => fake?.close());

  /** A fake receiver answering `fault` until `heal()`, then 200. */
  async function startFaulty(fault: FakeResponse, port?: number) {
    let healthy = false;
    fake = await startFakeReceiver(() => (healthy ? { kind: 'ok' } : fault), port);
    return () => (healthy = true);
  }

  const FAULTS = [
    {
      fault: '401 (a bad key), with credentials in the endpoint',
      response: { kind: 'status', status: 401 } as const,
      endpoint: (url: string) =>
        `${url.replace('http://', 'http://tenant:PASS@')}/v1/logs?api_key=s3cret`,
      shown: (url: string) =>
        `${url.replace('http://', 'http://REDACTED@')}/v1/logs?api_key=REDACTED`,
      why: 'HTTP 401 Unauthorized',
      fate: 'dropped (counted as rejected',
    },
    {
      fault: '404 (an endpoint without /v1/logs)',
      response: { kind: 'status', status: 404 } as const,
      endpoint: (url: string) => url,
      shown: (url: string) => url,
      why: 'HTTP 404 Not Found — did you mean http://127.0.0.1:',
      fate: 'dropped (counted as rejected',
    },
  ];

  describe.each(FAULTS)('answering $fault', ({ response, endpoint, shown, why, fate }) => {
    it.each(APPS)(
      '$name says so at the first failure and when it works again; stats() follows',
      async ({ name, fixture }) => {
        const heal = await startFaulty(response);
        const url = (fake as FakeReceiver).url;
        const app = startApp(fixture, {
          ...LOGGING_A_MINUTE,
          FIXTURE_OPTIONS: JSON.stringify({
            endpoint: endpoint(url),
            serviceName: `${name}-live-report`,
            scheduledDelayMillis: 200,
          }),
        });
        const failedPrefix = `tracelink: exporting logs to ${shown(url)} failed: ${why}`;
        await app.waitFor('the first failure', () => app.stderr().includes(failedPrefix));
        const [failed, ...more] = linesStarting(app.stderr(), 'tracelink: exporting logs');
        expect(more).toEqual([]);
        expect(failed).toContain(fate);
        if (response.status === 404) expect(failed).toContain(`did you mean ${url}/v1/logs?`);
        await app.waitFor('stats() saying it fails', () =>
          app.stats().some((s) => s.failing && s.dropped.rejected > 0),
        );
        heal();
        await app.waitFor('the recovery', () =>
          app.stderr().includes(`tracelink: exporting logs to ${shown(url)} works again, after `),
        );
        await app.waitFor('stats() saying it delivers', () =>
          app.stats().some((s) => !s.failing && s.delivered > 0),
        );
        const run = await app.stop();
        expect(run.signal).toBe('SIGTERM'); // it was running all along
        expect(run.stderr).not.toMatch(/PASS|s3cret/);
        const [last] = app.stats().slice(-1);
        if (last === undefined) throw new Error('no stats printed');
        expect(last.lastError).toMatch(new RegExp(`^${response.status} `));
        // Every record is accounted for: nothing counted twice, nothing missing.
        const { received, delivered, inFlight, buffered, spooled, dropped } = last;
        const droppedTotal = Object.values(dropped).reduce((sum, n) => sum + n, 0);
        expect(delivered + inFlight + buffered + spooled + droppedTotal).toBe(received);
      },
    );
  });

  describe('when the collector is unreachable, then comes up', () => {
    it.each(APPS)(
      '$name says so at the first failure and when it works again',
      async ({ name, fixture }) => {
        const [port] = await findFreePorts(1);
        const endpoint = `http://127.0.0.1:${port}/v1/logs`;
        const app = startApp(fixture, {
          ...LOGGING_A_MINUTE,
          FIXTURE_OPTIONS: JSON.stringify({
            endpoint,
            serviceName: `${name}-live-unreachable`,
            scheduledDelayMillis: 200,
            // The exporter retries a refused connection within this; then the export fails.
            timeoutMillis: 1000,
          }),
        });
        await app.waitFor('the first failure', () =>
          app
            .stderr()
            .includes(
              `tracelink: exporting logs to ${endpoint} failed: connect ECONNREFUSED 127.0.0.1:${port}; ` +
                'its ',
            ),
        );
        expect(app.stderr()).toContain('records kept and sent again');
        await app.waitFor('stats() holding the records', () =>
          app.stats().some((s) => s.failing && s.buffered + s.inFlight > 0),
        );
        fake = await startFakeReceiver([{ kind: 'ok' }], port);
        await app.waitFor('the recovery', () =>
          app.stderr().includes(`tracelink: exporting logs to ${endpoint} works again, after `),
        );
        await app.waitFor('stats() saying it delivers', () =>
          app.stats().some((s) => !s.failing && s.delivered > 0 && s.dropped.rejected === 0),
        );
        const run = await app.stop();
        expect(run.signal).toBe('SIGTERM');
      },
    );
  });

  describe('with everything delivered', () => {
    // signal-app.cjs: 1000 records, then it idles like a server until a signal stops it.
    it.each(['pino', 'winston'])(
      '%s stats() counts each record delivered, nothing held',
      async (name) => {
        fake = await startFakeReceiver([{ kind: 'ok' }]);
        const app = startApp(
          'signal-app.cjs',
          {
            FIXTURE_LOGGER: name,
            FIXTURE_OPTIONS: JSON.stringify({
              endpoint: fake.logsUrl,
              serviceName: `${name}-stats-delivered`,
              scheduledDelayMillis: 100,
            }),
          },
          {},
        );
        await app.waitFor('stats() with all delivered', () =>
          app.stats().some((s) => s.delivered === 1000),
        );
        const done = app.stats().find((s) => s.delivered === 1000);
        expect(done).toMatchObject({
          received: 1000,
          inFlight: 0,
          buffered: 0,
          spooled: 0,
          failing: false,
          failedExports: 0,
        });
        expect(done?.lastError).toBeUndefined();
        expect(done?.dropped).toEqual(
          Object.fromEntries(DROP_REASONS.map((reason) => [reason, 0])),
        );
        expect(app.stderr()).toBe('');
        await app.stop();
      },
    );
  });
});

describe('the OTLP transports at exit', () => {
  let fake: FakeReceiver | undefined;
  afterEach(() => fake?.close());

  // Finding 10: a request the collector has not answered when the exit budget ends may have
  // arrived — here it has, and is answered only later.
  describe('with a request in flight when the exit budget ends', () => {
    it.each(APPS)(
      '$name reports its records as in-flight-at-exit, not undelivered',
      async ({ name, fixture }) => {
        fake = await startFakeReceiver([{ kind: 'delay', ms: 5000 }]);
        const run = await runFixture(fixture, {
          FIXTURE_MODE: 'burst',
          FIXTURE_COUNT: '10',
          FIXTURE_OPTIONS: JSON.stringify({
            endpoint: fake.logsUrl,
            protocol: 'http/json',
            serviceName: `${name}-in-flight`,
            exitBudgetMillis: 1000,
          }),
        });
        expect(run.code).toBe(0);
        expect(fake.requests).toHaveLength(1); // it arrived
        expect(run.stderr).toContain(
          `tracelink: 10 of 10 log records were not delivered to ${fake.logsUrl} ` +
            '(10 in-flight-at-exit)\n',
        );
        expect(run.stderr).toContain('they may have arrived');
        expect(run.stderr).not.toContain('undelivered-at-exit');
      },
    );
  });

  // Finding 9: the exit report and diag output name the endpoint without its credentials.
  describe('with credentials in the endpoint, the collector down', () => {
    it.each(APPS)(
      '$name redacts them in the exit report and in diag output',
      async ({ name, fixture }) => {
        const [port] = await findFreePorts(1);
        const run = await runFixture(fixture, {
          FIXTURE_MODE: 'burst',
          FIXTURE_COUNT: '10',
          FIXTURE_END: 'exit',
          OTEL_LOG_LEVEL: 'debug',
          FIXTURE_OPTIONS: JSON.stringify({
            endpoint: `http://tenant:PASS@127.0.0.1:${port}/v1/logs?api_key=s3cret&team=blue42`,
            serviceName: `${name}-redacted`,
            exitBudgetMillis: 1000,
          }),
        });
        expect(run.code).toBe(0);
        const shown = `http://REDACTED@127.0.0.1:${port}/v1/logs?api_key=REDACTED&team=REDACTED`;
        expect(run.stderr).toContain(`log records were not delivered to ${shown} (`);
        expect(run.stderr).toContain(
          `[otel error] tracelink: 10 of 10 log records were not delivered to ${shown}`,
        );
        expect(run.stderr).not.toMatch(/PASS|s3cret|blue42/);
      },
    );
  });
});

// Finding 13: a CA file the exporters cannot use is reported as the transport starts.
describe('the OTLP transports with a TLS CA file they cannot use', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracelink-ca-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const CASES = APPS.flatMap((app) => [
    { ...app, file: 'missing', content: undefined, problem: 'cannot be read (ENOENT' },
    { ...app, file: 'garbage', content: 'not a certificate', problem: 'holds no PEM certificate' },
  ]);

  it.each(CASES)(
    '$name says so when it starts: a $file file',
    async ({ name, fixture, file, content, problem }) => {
      const path = join(dir, `${name}-${file}.pem`);
      if (content !== undefined) writeFileSync(path, content);
      const [port] = await findFreePorts(1);
      const app = startApp(fixture, {
        ...LOGGING_A_MINUTE,
        OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE: path,
        FIXTURE_OPTIONS: JSON.stringify({
          endpoint: `https://127.0.0.1:${port}/v1/logs`,
          serviceName: `${name}-ca-${file}`,
        }),
      });
      const line = `tracelink: OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE names ${path}, which ${problem}`;
      await app.waitFor('the CA file line', () => app.stderr().includes(line));
      expect(app.stderr()).toContain(
        "the collector's certificate is checked against Node's default CAs only",
      );
      const run = await app.stop();
      expect(run.signal).toBe('SIGTERM');
    },
  );
});
