import { setImmediate as nextTurn } from 'node:timers/promises';
import { heldExportQueue } from '../../helpers/held-export-queue.js';
import { RecordBuffer } from '../../../transports/worker/record-buffer.js';
import type { RecordBufferOptions } from '../../../transports/worker/record-buffer.js';

/**
 * A buffer of one-character lines (1 byte each) in front of a real ExportQueue of two records,
 * sent two at a time, one request at a time, with the held exporter.
 */
function setUp(overrides: Partial<RecordBufferOptions<string, string>> = {}) {
  const { exporter, stats, pipeline } = heldExportQueue({
    maxQueueSize: 2,
    maxConcurrentExports: 1,
  });
  const buffer = new RecordBuffer<string, string>({
    pipeline,
    map: (line) => line,
    sizeOf: (line) => line.length,
    maxBufferedBytes: 3,
    whenFull: 'wait',
    maxWaitMillis: 10_000,
    ...overrides,
  });
  const push = (lines: string) => [...lines].forEach((line) => buffer.push(line));
  return { exporter, stats, buffer, push };
}

describe('RecordBuffer', () => {
  describe("under 'wait'", () => {
    it('is full at maxBufferedBytes and resolves whenNotFull once the queue takes records', async () => {
      const { exporter, buffer, push, stats } = setUp();
      push('abcde'); // a and b are in flight, c d e wait here: 3 bytes
      expect(buffer.length).toBe(3);
      expect(buffer.isFull()).toBe(true);
      let resolved = false;
      const notFull = buffer.whenNotFull().then(() => (resolved = true));
      await nextTurn();
      expect(resolved).toBe(false);
      exporter.releaseAll();
      await notFull;
      expect(buffer.isFull()).toBe(false);
      expect(stats.droppedTotal).toBe(0);
    });

    it('takes what fits and drops the rest, counted, once the writer waited maxWaitMillis, until it drains', async () => {
      const { exporter, buffer, push, stats } = setUp({ maxWaitMillis: 50 });
      push('abcde');
      const started = Date.now();
      await buffer.whenNotFull();
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
      expect(buffer.isFull()).toBe(true);
      push('fg');
      expect(stats.dropped['buffer-full']).toBe(2);
      // The writer's wait counts against the exit budget.
      expect(buffer.exitDeadline(1000) - Date.now()).toBeLessThanOrEqual(960);

      exporter.releaseAll(); // the collector takes records again: the buffer drains
      await nextTurn();
      expect(buffer.isFull()).toBe(false);
      push('h');
      expect(stats.dropped['buffer-full']).toBe(2);
      expect(buffer.exitDeadline(1000) - Date.now()).toBeGreaterThanOrEqual(995);
    });
    it('starts no new wait, once the writer waited maxWaitMillis, until the buffer has half emptied', async () => {
      // A slow collector frees room one request at a time: without this, each request would
      // start a new wait of maxWaitMillis, and the writer would stall over and over.
      const { exporter, buffer, push, stats } = setUp({ maxWaitMillis: 50, maxBufferedBytes: 6 });
      push('abcdefgh'); // a b in flight, c to h held: 6 bytes, full
      await buffer.whenNotFull(); // waited its 50 ms
      exporter.releaseOne(); // a b delivered: c d go out, e f g h held: 4 bytes, over half
      await nextTurn();
      expect(buffer.length).toBe(4);
      push('ij'); // full again, but the writer does not wait again yet
      expect(buffer.isFull()).toBe(true);
      let resolved = false;
      void buffer.whenNotFull().then(() => (resolved = true));
      await nextTurn();
      expect(resolved).toBe(true);
      push('k');
      expect(stats.dropped['buffer-full']).toBe(1);
      exporter.answerAtOnce = true; // the collector keeps up again: the buffer drains
      exporter.releaseAll();
      while (buffer.length > 0) await nextTurn();
      exporter.answerAtOnce = false;
      await nextTurn();
      push('lmnopqrs'); // two go out, 6 held: full
      expect(buffer.isFull()).toBe(true);
      resolved = false;
      void buffer.whenNotFull().then(() => (resolved = true));
      await nextTurn();
      expect(resolved).toBe(false); // a new episode: the writer waits again
    });
  });

  describe("under 'drop'", () => {
    it('drops the newest records past maxBufferedBytes and counts each one', () => {
      const { buffer, push, stats } = setUp({ whenFull: 'drop' });
      push('abcdefghij'); // a b in flight, c d e held, f–j dropped
      expect(buffer.length).toBe(3);
      expect(stats.received).toBe(10);
      expect(stats.dropped['buffer-full']).toBe(5);
    });

    it('takes one record larger than the bound when it holds nothing', () => {
      const { buffer, stats } = setUp({ whenFull: 'drop', maxBufferedBytes: 2 });
      buffer.push('a');
      buffer.push('b'); // a b in flight
      buffer.push('large');
      expect(buffer.length).toBe(1);
      expect(stats.droppedTotal).toBe(0);
    });
  });

  describe('closeUntil', () => {
    it('delivers everything it holds before the deadline', async () => {
      const { exporter, buffer, push, stats } = setUp();
      exporter.answerAtOnce = true;
      push('abcde');
      await buffer.closeUntil(Date.now() + 500);
      expect(exporter.delivered).toHaveLength(5);
      expect(stats).toMatchObject({ received: 5, delivered: 5 });
      expect(stats.droppedTotal).toBe(0);
    });

    it('returns at the deadline and counts every record it could not deliver, once', async () => {
      const { buffer, push, stats } = setUp();
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        push('abcde'); // a b in flight for good; c d e held while the feed waits for room
        const started = Date.now();
        await buffer.closeUntil(started + 100);
        expect(Date.now() - started).toBeLessThan(1000);
        // The feed, released by the queue's shutdown, must not take from the emptied buffer.
        await nextTurn();
        await nextTurn();
        expect(unhandled).toEqual([]);
        expect(stats.received).toBe(5);
        expect(stats.delivered).toBe(0);
        // a b were sent and never answered: they may have arrived, and are counted apart.
        expect(stats.dropped).toMatchObject({
          'undelivered-at-exit': 3,
          'in-flight-at-exit': 2,
          'after-shutdown': 0,
        });
        expect(stats.droppedTotal).toBe(5);
        expect(buffer.length).toBe(0);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });
  });
});
