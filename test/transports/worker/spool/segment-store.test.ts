import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryStats } from '../../../../transports/worker/report/delivery-stats.js';
import { SegmentStore } from '../../../../transports/worker/spool/segment-store.js';
import type { SpooledRecord } from '../../../../transports/worker/spool/segment-store.js';
import { encodeBlock } from '../../../../transports/worker/spool/spool-block.js';

let directory: string;
const opened: SegmentStore[] = [];
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'tracelink-spool-'));
});
afterEach(() => {
  for (const store of opened.splice(0)) store.closeSync(true);
  rmSync(directory, { recursive: true, force: true });
});

interface StoreOptions {
  maxBytes?: number;
  segmentBytes?: number;
  kind?: string;
  /** 0: every record read back from disk; else just-written records come from memory. */
  maxTailChars?: number;
}

async function openStore(options: StoreOptions = {}) {
  const stats = new DeliveryStats();
  const warnings: string[] = [];
  const store = await SegmentStore.open({
    directory,
    kind: options.kind ?? 'pino',
    maxBytes: options.maxBytes ?? 1024 * 1024,
    segmentBytes: options.segmentBytes,
    maxTailChars: options.maxTailChars,
    stats,
    warn: (line) => warnings.push(line),
  });
  opened.push(store);
  return { store, stats, warnings };
}

/** Every record left to read, read to the end. */
async function readAll(store: SegmentStore): Promise<SpooledRecord[]> {
  const all: SpooledRecord[] = [];
  for (let read = await store.read(); read.length > 0; read = await store.read()) all.push(...read);
  return all;
}

const lines = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `{"i":${from + i}}`);

/** The segment files of every folder in the directory. */
function segmentFiles(): string[] {
  return fs
    .readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.seg'));
}

/** A pid that no process has now: a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}

/** Makes the folder of `store` look like the folder of a process that was killed. */
function killOwner(store: SegmentStore): void {
  const ownerFile = join(store.folder.path, 'owner.json');
  const owner = JSON.parse(fs.readFileSync(ownerFile, 'utf8')) as { host: string };
  fs.writeFileSync(ownerFile, JSON.stringify({ ...owner, pid: deadPid(), processStart: 0 }));
}

describe('SegmentStore', () => {
  // Read back from disk, or handed over from memory while the reader keeps up.
  const READERS = [
    { reader: 'from disk', maxTailChars: 0 },
    { reader: 'from memory', maxTailChars: undefined },
  ];

  describe.each(READERS)('appending and reading back $reader', ({ maxTailChars }) => {
    it('reads what was appended, in order, and reads nothing more once caught up', async () => {
      const { store, stats } = await openStore({ maxTailChars });
      await store.append(lines(0, 3));
      await store.append(lines(3, 2));
      expect((await readAll(store)).map((r) => r.line)).toEqual(lines(0, 5));
      expect(await store.read()).toEqual([]);
      expect(stats.spooled).toBe(5);
      await store.append(lines(5, 1));
      expect((await store.read()).map((r) => r.line)).toEqual(lines(5, 1));
    });

    it('writes one block per append, not one write per record', async () => {
      const { store } = await openStore();
      await store.append(lines(0, 1000));
      const [file] = segmentFiles();
      const text = fs.readFileSync(join(directory, file), 'latin1');
      expect(text.match(/^@\d+ \d+ [0-9a-f]{8}$/gm)).toHaveLength(1);
    });

    it('begins a new segment past segmentBytes and reads across segments in order', async () => {
      const { store } = await openStore({ segmentBytes: 200, maxTailChars });
      for (let i = 0; i < 10; i++) await store.append(lines(i * 5, 5));
      expect(segmentFiles().length).toBeGreaterThan(3);
      expect((await readAll(store)).map((r) => r.line)).toEqual(lines(0, 50));
    });
  });

  describe.each(READERS)('settling, reading $reader', ({ maxTailChars }) => {
    it('deletes a sealed segment once every record in it is settled, in any order', async () => {
      const { store, stats } = await openStore({ segmentBytes: 100, maxTailChars });
      await store.append(lines(0, 4));
      await store.append(lines(4, 4)); // seals the first segment
      const records = await readAll(store);
      expect(segmentFiles()).toHaveLength(2);
      const first = records.slice(0, 4);
      for (const record of [first[2], first[0], first[3]]) store.settle(record);
      expect(segmentFiles()).toHaveLength(2);
      store.settle(first[1]);
      await new Promise((resolve) => setTimeout(resolve, 20)); // the unlink
      expect(segmentFiles()).toHaveLength(1);
      expect(stats.spooled).toBe(4);
    });

    it('removes its folder at a clean close with nothing left', async () => {
      const { store } = await openStore();
      await store.append(lines(0, 2));
      for (const record of await readAll(store)) store.settle(record);
      store.closeSync(false);
      expect(fs.readdirSync(directory)).toEqual([]);
    });
  });

  describe.each(READERS)('past maxBytes, reading $reader', ({ maxTailChars }) => {
    it('drops the oldest segments and counts their unread records as spool-full', async () => {
      const { store, stats } = await openStore({ maxBytes: 2000, segmentBytes: 400, maxTailChars });
      const perBlock = 20;
      for (let i = 0; i < 20; i++) await store.append(lines(i * perBlock, perBlock));
      const onDisk = segmentFiles().reduce(
        (sum, file) => sum + fs.statSync(join(directory, file)).size,
        0,
      );
      expect(onDisk).toBeLessThanOrEqual(2000);
      const read = (await readAll(store)).map((r) => JSON.parse(r.line) as { i: number });
      const dropped = stats.dropped['spool-full'];
      expect(dropped).toBeGreaterThan(0);
      // What is left is the newest records, and every record is read or counted.
      expect(read.map((r) => r.i)).toEqual(
        lines(dropped, 400 - dropped).map((_, k) => dropped + k),
      );
      expect(read.length + dropped).toBe(400);
    });

    it('drops a block larger than maxBytes, counted', async () => {
      const { store, stats } = await openStore({ maxBytes: 100 });
      await store.append([`{"pad":"${'x'.repeat(200)}"}`, '{}']);
      expect(stats.dropped['spool-full']).toBe(2);
      expect(await readAll(store)).toEqual([]);
    });
  });

  describe('leftovers of a process that is gone', () => {
    it('takes over its segments and sends what it had not settled, only that', async () => {
      const first = await openStore({ segmentBytes: 150 });
      await first.store.append(lines(0, 5));
      await first.store.append(lines(5, 5));
      const host = ownerHost(first.store);
      const records = await readAll(first.store);
      // Settled: 0–2 in order, 4 and 6 out of order.
      for (const k of [0, 1, 2, 4, 6]) first.store.settle(records[k]);
      first.store.closeSync(true);
      // A kill -9: the owner file stays, naming a pid that is gone.
      fs.writeFileSync(
        join(first.store.folder.path, 'owner.json'),
        JSON.stringify({ pid: deadPid(), host, processStart: 0 }),
      );

      const second = await openStore();
      expect(second.stats.received).toBe(5);
      expect(second.stats.spooled).toBe(5);
      const resent = (await readAll(second.store)).map((r) => r.line);
      expect(resent).toEqual(['{"i":3}', '{"i":5}', '{"i":7}', '{"i":8}', '{"i":9}']);
      expect(fs.existsSync(first.store.folder.path)).toBe(false);
    });

    it('takes over a folder whose owner released it at exit', async () => {
      const first = await openStore();
      await first.store.append(lines(0, 3));
      first.store.closeSync(true);
      const second = await openStore();
      expect((await readAll(second.store)).map((r) => r.line)).toEqual(lines(0, 3));
    });

    it('leaves the folder of a live process alone, and of another kind', async () => {
      const live = await openStore(); // this process: alive
      await live.store.append(lines(0, 2));
      const winston = await openStore({ kind: 'winston-json' });
      await winston.store.append(lines(0, 2));
      killOwner(winston.store);
      const other = await openStore();
      expect(await readAll(other.store)).toEqual([]);
      expect(other.warnings).toEqual([expect.stringContaining('a winston-json transport left')]);
    });

    it('takes over, on a later look, a folder whose owner died after this one started', async () => {
      const first = await openStore();
      await first.store.append(lines(0, 2));
      const second = await openStore();
      expect(await readAll(second.store)).toEqual([]);
      killOwner(first.store);
      expect(await second.store.adoptLeftovers()).toBe(1);
      expect((await readAll(second.store)).map((r) => r.line)).toEqual(lines(0, 2));
    });

    it('takes over the folder of an owner on another host once its heartbeat is stale', async () => {
      const first = await openStore();
      await first.store.append(lines(0, 2));
      const ownerFile = join(first.store.folder.path, 'owner.json');
      fs.writeFileSync(ownerFile, JSON.stringify({ pid: 1, host: 'elsewhere', processStart: 0 }));
      const second = await openStore();
      expect(await readAll(second.store)).toEqual([]);
      const old = new Date(Date.now() - 120_000);
      fs.utimesSync(ownerFile, old, old);
      expect(await second.store.adoptLeftovers()).toBe(1);
      expect(await readAll(second.store)).toHaveLength(2);
    });
  });

  describe('damaged files', () => {
    it('deletes an empty segment (made, and killed before its first byte), counting nothing', async () => {
      leftFolder({ '001.seg': Buffer.alloc(0) });
      const { store, stats } = await openStore();
      expect(await readAll(store)).toEqual([]);
      expect(stats.droppedTotal).toBe(0);
    });

    /** A gone process's folder holding `files` (name → bytes) as its segments. */
    function leftFolder(files: Record<string, Buffer>): void {
      const folder = join(directory, 'pino.somehost.1.x.y');
      fs.mkdirSync(folder);
      for (const [name, bytes] of Object.entries(files))
        fs.writeFileSync(join(folder, name), bytes);
    }
    const header = Buffer.from('tracelink-spool 1 pino\n');

    it('skips a torn last block (a write cut by a kill) and counts its records', async () => {
      const whole = encodeBlock(lines(0, 3));
      const torn = encodeBlock(lines(3, 4)).subarray(0, 30);
      leftFolder({ '001.seg': Buffer.concat([header, whole, torn]) });
      const { store, stats } = await openStore();
      expect((await readAll(store)).map((r) => r.line)).toEqual(lines(0, 3));
      expect(stats.dropped['spool-corrupt']).toBe(4);
      expect(stats.received).toBe(7);
    });

    it('skips a block that fails its CRC, counts its records, and reads on', async () => {
      const bad = encodeBlock(lines(3, 2));
      bad[bad.length - 3] ^= 0x01;
      const file = Buffer.concat([header, encodeBlock(lines(0, 3)), bad, encodeBlock(lines(5, 1))]);
      leftFolder({ '001.seg': file });
      const { store, stats } = await openStore();
      expect((await readAll(store)).map((r) => r.line)).toEqual([...lines(0, 3), ...lines(5, 1)]);
      expect(stats.dropped['spool-corrupt']).toBe(2);
    });

    it.each([
      ['random bytes', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0x42])],
      [
        'a segment of another kind',
        Buffer.concat([Buffer.from('tracelink-spool 1 winston-json\n'), encodeBlock(['{}'])]),
      ],
      ['garbage after the header', Buffer.concat([header, Buffer.from('not a block\n{"i":1}\n')])],
    ])('skips %s, counted as one record, without failing', async (_name, bytes) => {
      leftFolder({
        '001.seg': bytes,
        '002.seg': Buffer.concat([header, encodeBlock(lines(0, 2))]),
      });
      const { store, stats } = await openStore();
      expect((await readAll(store)).map((r) => r.line)).toEqual(lines(0, 2));
      expect(stats.dropped['spool-corrupt']).toBe(1);
      expect(segmentFiles()).toHaveLength(1); // the skipped file is deleted
    });
  });
});

function ownerHost(store: SegmentStore): string {
  return (
    JSON.parse(fs.readFileSync(join(store.folder.path, 'owner.json'), 'utf8')) as { host: string }
  ).host;
}
