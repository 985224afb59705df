import fs, { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { heldExportQueue } from '../../../helpers/held-export-queue.js';
import { DiskSpool } from '../../../../transports/worker/spool/disk-spool.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'tracelink-disk-spool-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

/**
 * A spool in front of a real ExportQueue (batches of 2, two in flight) and the held exporter.
 * Records are the lines themselves.
 */
function setUp(options: { directory?: string; whenFull?: 'wait' | 'drop' } = {}) {
  const { exporter, stats, pipeline, losses } = heldExportQueue({
    maxQueueSize: 4,
    maxConcurrentExports: 2,
  });
  const spool = new DiskSpool<string>({
    pipeline,
    directory: options.directory ?? directory,
    maxBytes: 1024 * 1024,
    kind: 'pino',
    maxPendingBytes: 1024,
    whenFull: options.whenFull ?? 'drop',
    maxWaitMillis: 50,
  });
  spool.start((line) => line);
  return { exporter, stats, spool, losses };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await delay(10);
  expect(condition()).toBe(true);
}

/** Silences (and returns) what the spool writes on stderr (synchronously, to fd 2). */
function captureStderr(): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  // The module object itself: the code under test reads writeSync from it at call time.
  const spy = jest.spyOn(fs, 'writeSync').mockImplementation((fd, text) => {
    if (fd === 2) lines.push(String(text));
    return 0;
  });
  return { lines, restore: () => spy.mockRestore() };
}

describe('DiskSpool', () => {
  it('delivers every record, and removes its folder at a clean close', async () => {
    const { exporter, spool, stats } = setUp();
    exporter.answerAtOnce = true;
    for (const line of ['a', 'b', 'c', 'd', 'e']) spool.push(line);
    await spool.closeUntil(Date.now() + 2000);
    expect(exporter.delivered).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(stats).toMatchObject({ received: 5, delivered: 5, spooled: 0 });
    expect(fs.readdirSync(directory)).toEqual([]);
  });

  it('keeps on disk what the collector has not acknowledged, even when later batches were', async () => {
    const stderr = captureStderr();
    try {
      const first = setUp();
      for (const line of ['a', 'b', 'c', 'd']) first.spool.push(line);
      await until(() => first.exporter.batches.length === 2); // [a b] and [c d] in flight
      first.exporter.batches[1]?.answer(true); // [c d] delivered, [a b] not answered
      await delay(20);
      await first.spool.closeUntil(Date.now() + 100);
      expect(first.stats).toMatchObject({ received: 4, delivered: 2, spooled: 2 });
      expect(first.stats.droppedTotal).toBe(0);
      expect(stderr.lines.join('')).toContain(
        `tracelink: 2 log records stay spooled in ${directory}`,
      );

      // The next start sends [a b], and only those.
      const second = setUp();
      second.exporter.answerAtOnce = true;
      await second.spool.closeUntil(Date.now() + 2000);
      expect(second.exporter.delivered).toEqual(['a', 'b']);
      expect(second.stats).toMatchObject({ received: 2, delivered: 2, spooled: 0 });
      expect(fs.readdirSync(directory)).toEqual([]);
    } finally {
      stderr.restore();
    }
  });

  it('retries a failed batch from the queue, and settles it once delivered', async () => {
    const { exporter, spool, stats } = setUp();
    spool.push('a');
    await until(() => exporter.batches.length === 1);
    exporter.batches[0]?.answer(false); // retried after the backoff
    await until(() => exporter.batches.length === 2);
    exporter.batches[1]?.answer(true);
    await until(() => stats.delivered === 1);
    expect(exporter.delivered).toEqual(['a']);
    await spool.closeUntil(Date.now() + 1000);
    expect(fs.readdirSync(directory)).toEqual([]); // nothing left to send
  });

  it('counts as spooled the records waiting on disk, not those the export queue holds', async () => {
    const { spool, stats } = setUp();
    for (let i = 0; i < 10; i++) spool.push(`line ${i}`);
    // The queue takes 4 (two batches in flight, the collector silent); 6 wait on disk.
    await until(() => stats.inFlight === 4 && stats.spooled === 6);
  });

  it('holds records in memory when the directory cannot be written, and says so once', async () => {
    const stderr = captureStderr();
    try {
      const file = join(directory, 'a-file');
      fs.writeFileSync(file, '');
      const { exporter, spool, stats } = setUp({ directory: join(file, 'spool') });
      exporter.answerAtOnce = true;
      await spool.whenOpen();
      for (const line of ['a', 'b', 'c']) spool.push(line);
      await spool.closeUntil(Date.now() + 2000);
      expect(exporter.delivered).toEqual(['a', 'b', 'c']);
      expect(stats).toMatchObject({ received: 3, delivered: 3 });
      const said = stderr.lines.filter((line) => line.includes('cannot be written'));
      expect(said).toHaveLength(1);
      expect(said[0]).toContain('held in memory instead');
    } finally {
      stderr.restore();
    }
  });

  it('counts as lost, at exit, what it held only in memory', async () => {
    const stderr = captureStderr();
    try {
      const file = join(directory, 'a-file');
      fs.writeFileSync(file, '');
      const { spool, stats, losses } = setUp({ directory: join(file, 'spool') });
      await spool.whenOpen();
      for (const line of ['a', 'b', 'c', 'd', 'e']) spool.push(line);
      await spool.closeUntil(Date.now() + 100);
      expect(stats.dropped['undelivered-at-exit']).toBe(5);
      expect(stats.spooled).toBe(0);
      expect(losses).toEqual([expect.stringContaining('5 of 5 log records were not delivered')]);
    } finally {
      stderr.restore();
    }
  });

  it("under 'wait', keeps the writer waiting at most maxWaitMillis, then drops what does not fit, counted", async () => {
    const stderr = captureStderr();
    try {
      const file = join(directory, 'a-file');
      fs.writeFileSync(file, '');
      // No usable disk and the collector away: nothing drains.
      const { spool, stats } = setUp({ directory: join(file, 'spool'), whenFull: 'wait' });
      await spool.whenOpen();
      for (let i = 0; i < 2000; i++) spool.push('x'.repeat(9)); // past maxPendingBytes (1024)
      expect(spool.isFull()).toBe(true);
      const started = Date.now();
      await spool.whenNotFull();
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
      spool.push('y');
      expect(stats.dropped['buffer-full']).toBe(1);
      await spool.whenNotFull(); // no new wait until it has half drained
    } finally {
      stderr.restore();
    }
  });
});
