import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { readBlock } from '../../transports/worker/spool/spool-block.js';
import { startCollector } from './collector/start-collector.js';
import type { ReceivedLogRecord, RunningCollector } from './collector/start-collector.js';
import { pollUntil } from './poll-until.js';
import { runFixture } from './run-fixture.js';
import type { FixtureRun } from './run-fixture.js';

// The spool option (issue 14, finding 3) against the real collector, for both transports: every
// fixture logs records carrying their index as the attribute `i`, so each record can be checked
// to arrive exactly once — across two processes of the app.
const APPS = [
  { name: 'pino', fixture: 'pino-app.cjs' },
  { name: 'winston', fixture: 'winston-app.cjs' },
] as const;

jest.setTimeout(60_000);

// Over an exit budget, timed from the moment the app began to exit: the worker's teardown and
// Node's own exit after the budget's end.
const EXIT_MARGIN_MS = 1000;

/** The `i` of every record of `serviceName`, sorted. */
function indicesOf(records: readonly ReceivedLogRecord[], serviceName: string): number[] {
  return records
    .filter((r) => r.resource['service.name'] === serviceName)
    .map((r) => r.attributes.i as number)
    .sort((a, b) => a - b);
}

/** `[from, from + 1, …, to - 1]`. */
function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
}

const LOSS_LINE = /^tracelink: (\d+) of (\d+) log records were not delivered to \S+ \(([^)]*)\)/gm;
const SPOOLED_LINE =
  /^tracelink: (\d+) log records stay spooled in (\S+), to be sent at the next start/gm;

/** The loss reports (`tracelink: N of M … (reasons)`) of a run's stderr. */
function lossReportsOf(stderr: string) {
  return [...stderr.matchAll(LOSS_LINE)].map(([, lost, received, reasons]) => ({
    lost: Number(lost),
    received: Number(received),
    reasons: Object.fromEntries(
      (reasons ?? '').split(', ').map((part) => {
        const [n, reason] = part.split(' ');
        return [reason ?? '', Number(n)];
      }),
    ),
  }));
}

/** The `N records stay spooled in DIR` reports of a run's stderr. */
function spooledReportsOf(stderr: string) {
  return [...stderr.matchAll(SPOOLED_LINE)].map(([, count, directory]) => ({
    count: Number(count),
    directory,
  }));
}

/**
 * The `i` of every record in the spool's files that a reader can take: whole blocks, CRC
 * checked (a block torn by a kill is not there). Read with the spool's own block reader.
 */
function indicesOnDisk(directory: string): number[] {
  const indices: number[] = [];
  for (const name of fs.readdirSync(directory, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.seg')) continue;
    const data = fs.readFileSync(join(directory, name));
    let at = data.indexOf(0x0a) + 1; // after the file's header line
    for (;;) {
      const block = readBlock(data, at, true);
      if (block.kind !== 'block') break;
      for (const line of block.lines) indices.push(indexOfLine(line));
      at += block.size;
    }
  }
  return indices.sort((a, b) => a - b);
}

/**
 * A record's `i` in its spooled line: pino's own JSON, or the winston transport's record line
 * (a short header, then the JSON of winston's `info` or of the record mapped on the logging
 * thread), which holds the attribute as `"i":n`.
 */
function indexOfLine(line: string): number {
  if (line.startsWith('{')) return (JSON.parse(line) as { i: number }).i;
  const match = /"i":(\d+)/.exec(line);
  if (match === null) throw new Error(`no attribute i in the spooled line ${line.slice(0, 200)}`);
  return Number(match[1]);
}

/** The last `{"logged":n}` progress line of a run (FIXTURE_PROGRESS=1). */
function loggedOf(run: FixtureRun): number {
  const lines = run.stdout.split('\n').filter((line) => line.startsWith('{"logged"'));
  return (JSON.parse(lines[lines.length - 1] ?? '{"logged":0}') as { logged: number }).logged;
}

// The figures, printed after the run.
const figures: string[] = [];
afterAll(() => {
  if (figures.length > 0) process.stdout.write(`measured:\n  ${figures.join('\n  ')}\n`);
});

describe('the OTLP transports with a disk spool, against the real collector', () => {
  let collector: RunningCollector;
  let spoolDirectory: string;
  beforeAll(async () => {
    collector = await startCollector();
  });
  afterAll(() => collector.stop());
  beforeEach(() => {
    spoolDirectory = mkdtempSync(join(tmpdir(), 'tracelink-spool-it-'));
  });
  afterEach(async () => {
    rmSync(spoolDirectory, { recursive: true, force: true });
    // Each test leaves the collector running for the next.
    await collector.startAgain().catch(() => undefined);
  });

  /** Waits (at most 10 s) until `expected` records of `serviceName` arrived; returns their `i`s. */
  async function arrived(serviceName: string, expected: number): Promise<number[]> {
    let indices: number[] = [];
    await pollUntil(async () => {
      indices = indicesOf(await collector.readLogRecords(), serviceName);
      return indices.length >= expected;
    }, 10_000);
    await delay(300); // the file exporter flushes every 100 ms: a duplicate would show by now
    return indicesOf(await collector.readLogRecords(), serviceName);
  }

  describe('when the collector is down for longer than the app runs', () => {
    // The 30 s outage, shortened: the collector is down through the first run of the
    // app (3 s of logging, then an exit whose 1 s budget cannot deliver) and a second more; the
    // second run, with the collector up, sends what the first left, and its own records.
    it.each(APPS)(
      '$name leaves every record spooled at exit, and the next start delivers all exactly once',
      async ({ name, fixture }) => {
        const serviceName = `${name}-spool-outage`;
        const options = {
          endpoint: collector.logsUrl,
          serviceName,
          exitBudgetMillis: 1000,
          spool: { directory: spoolDirectory },
        };
        await collector.stopReceiving();
        const first = await runFixture(fixture, {
          FIXTURE_MODE: 'paced',
          FIXTURE_COUNT: '600',
          FIXTURE_DURATION_MS: '3000',
          FIXTURE_OPTIONS: JSON.stringify(options),
        });
        expect(first.code).toBe(0);
        // The exit budget still holds: the spool leaves what it could not deliver.
        expect(first.exitMillis).toBeLessThan(options.exitBudgetMillis + EXIT_MARGIN_MS);
        expect(lossReportsOf(first.stderr)).toEqual([]);
        expect(spooledReportsOf(first.stderr)).toEqual([{ count: 600, directory: spoolDirectory }]);
        await delay(1000);
        await collector.startAgain();
        const second = await runFixture(fixture, {
          FIXTURE_MODE: 'paced',
          FIXTURE_COUNT: '200',
          FIXTURE_DURATION_MS: '1000',
          FIXTURE_FIRST_INDEX: '600',
          FIXTURE_OPTIONS: JSON.stringify(options),
        });
        expect(second.stderr).toBe('');
        expect(second.code).toBe(0);
        expect(await arrived(serviceName, 800)).toEqual(range(0, 800));
        // Nothing is left behind: the folders of both runs are gone.
        expect(fs.readdirSync(spoolDirectory)).toEqual([]);
      },
    );
  });

  describe('when the app is killed (SIGKILL) mid-stream', () => {
    // The collector is down while the first run logs; once records are on disk the app is
    // killed; the second run, with the collector up, takes the dead process's folder over.
    it.each(APPS)(
      '$name delivers, at the next start, every record that reached the spool, exactly once',
      async ({ name, fixture }) => {
        const serviceName = `${name}-spool-kill`;
        const options = {
          endpoint: collector.logsUrl,
          serviceName,
          spool: { directory: spoolDirectory },
        };
        await collector.stopReceiving();
        let pid = 0;
        const first = runFixture(
          fixture,
          {
            FIXTURE_MODE: 'paced',
            FIXTURE_COUNT: '5000',
            FIXTURE_DURATION_MS: '5000',
            FIXTURE_PROGRESS: '1',
            FIXTURE_OPTIONS: JSON.stringify(options),
          },
          { onSpawn: (spawned) => (pid = spawned) },
        );
        await pollUntil(() => Promise.resolve(indicesOnDisk(spoolDirectory).length >= 500), 10_000);
        process.kill(pid, 'SIGKILL');
        const killed = await first;
        expect(killed.signal).toBe('SIGKILL');
        const onDisk = indicesOnDisk(spoolDirectory);
        const logged = loggedOf(killed);
        // In order, none missing: what reached the spool is a prefix of what was logged.
        expect(onDisk).toEqual(range(0, onDisk.length));

        await collector.startAgain();
        const second = await runFixture(fixture, {
          FIXTURE_MODE: 'paced',
          FIXTURE_COUNT: '10',
          FIXTURE_DURATION_MS: '100',
          FIXTURE_FIRST_INDEX: '100000',
          FIXTURE_OPTIONS: JSON.stringify(options),
        });
        expect(second.stderr).toBe('');
        expect(second.code).toBe(0);
        const indices = await arrived(serviceName, onDisk.length + 10);
        expect(indices).toEqual([...onDisk, ...range(100_000, 100_010)]);
        figures.push(
          `${name}: killed after logging ${logged} records (its last progress line); ` +
            `${onDisk.length} were on disk, and all of them arrived at the next start`,
        );
      },
    );
  });

  describe('when the app is killed (SIGKILL) while the collector takes its records', () => {
    // At least once: records in requests the collector had not answered, and acknowledgements
    // not yet in the ack file (some 25 ms of them), are sent again by the next start.
    it.each(APPS)(
      '$name delivers, at the next start, every record up to the last one that reached the spool',
      async ({ name, fixture }) => {
        const serviceName = `${name}-spool-kill-up`;
        const options = {
          endpoint: collector.logsUrl,
          serviceName,
          spool: { directory: spoolDirectory },
        };
        let pid = 0;
        const first = runFixture(
          fixture,
          {
            FIXTURE_MODE: 'paced',
            FIXTURE_COUNT: '6000',
            FIXTURE_DURATION_MS: '6000',
            FIXTURE_PROGRESS: '1',
            FIXTURE_OPTIONS: JSON.stringify(options),
          },
          { onSpawn: (spawned) => (pid = spawned) },
        );
        await pollUntil(
          async () => indicesOf(await collector.readLogRecords(), serviceName).length >= 1000,
          10_000,
        );
        process.kill(pid, 'SIGKILL');
        const killed = await first;
        expect(killed.signal).toBe('SIGKILL');
        const onDisk = indicesOnDisk(spoolDirectory);
        const arrivedBefore = indicesOf(await collector.readLogRecords(), serviceName);
        // Every record that reached the spool: those still on disk, and those delivered (and
        // deleted) before them — a prefix of what was logged.
        const reached = Math.max(...onDisk, ...arrivedBefore) + 1;

        const second = await runFixture(fixture, {
          FIXTURE_MODE: 'paced',
          FIXTURE_COUNT: '10',
          FIXTURE_DURATION_MS: '100',
          FIXTURE_FIRST_INDEX: '100000',
          FIXTURE_OPTIONS: JSON.stringify(options),
        });
        expect(second.stderr).toBe('');
        expect(second.code).toBe(0);
        const indices = await arrived(serviceName, reached + 10);
        const unique = [...new Set(indices)];
        expect(unique).toEqual([...range(0, reached), ...range(100_000, 100_010)]);
        figures.push(
          `${name}: killed with the collector up, after logging ${loggedOf(killed)} records; ` +
            `${arrivedBefore.length} had arrived, ${reached} had reached the spool; all arrived, ` +
            `${indices.length - unique.length} of them twice`,
        );
      },
    );
  });

  describe('when the spool is full', () => {
    it.each(APPS)(
      '$name drops the oldest records, counted spool-full, and delivers the rest at the next start',
      async ({ name, fixture }) => {
        const serviceName = `${name}-spool-full`;
        const count = 3000;
        const options = {
          endpoint: collector.logsUrl,
          serviceName,
          exitBudgetMillis: 500,
          // A queue far smaller than the spool, as with the defaults (2048 records, 256 MiB).
          maxQueueSize: 64,
          maxExportBatchSize: 32,
          spool: { directory: spoolDirectory, maxBytes: 256 * 1024 },
        };
        await collector.stopReceiving();
        const first = await runFixture(fixture, {
          FIXTURE_MODE: 'burst',
          FIXTURE_COUNT: String(count),
          FIXTURE_PAD: '300',
          FIXTURE_OPTIONS: JSON.stringify(options),
        });
        expect(first.code).toBe(0);
        const [loss, ...moreLosses] = lossReportsOf(first.stderr);
        const [spooled, ...moreSpooled] = spooledReportsOf(first.stderr);
        expect([moreLosses, moreSpooled]).toEqual([[], []]);
        expect(loss?.received).toBe(count);
        // The oldest segments dropped for room: what the export queue had already taken of
        // them was in memory only, and is lost at exit.
        const {
          'spool-full': full = 0,
          'undelivered-at-exit': inMemory = 0,
          ...other
        } = loss?.reasons ?? {};
        expect(other).toEqual({});
        expect(full).toBeGreaterThan(0);
        const kept = spooled?.count ?? 0;
        expect(loss?.lost).toBe(full + inMemory);
        expect(full + inMemory + kept).toBe(count);

        await collector.startAgain();
        const second = await runFixture(fixture, {
          FIXTURE_MODE: 'burst',
          FIXTURE_COUNT: '0',
          FIXTURE_OPTIONS: JSON.stringify(options),
        });
        expect(second.stderr).toBe('');
        expect(second.code).toBe(0);
        // The newest records were kept; the oldest were dropped.
        expect(await arrived(serviceName, kept)).toEqual(range(count - kept, count));
        figures.push(
          `${name}: spool of 256 KiB, ${count} records of ~350 bytes: ${full} spool-full, ` +
            `${inMemory} undelivered-at-exit, ${kept} delivered at the next start`,
        );
      },
    );
  });
});
