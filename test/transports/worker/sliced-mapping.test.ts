import { setImmediate as nextTurn } from 'node:timers/promises';
import { diag } from '@opentelemetry/api';
import { DeliveryStats } from '../../../transports/worker/report/delivery-stats.js';
import type { PipelineInput } from '../../../transports/worker/queued-pipeline.js';
import { SlicedMapping } from '../../../transports/worker/sliced-mapping.js';

/**
 * A pipeline that records what it is handed, with room for `room` records until the test
 * frees more, and the counts a real one keeps.
 */
class ScriptedPipeline implements PipelineInput<string> {
  readonly stats = new DeliveryStats();
  readonly emitted: string[] = [];
  readonly sizes: number[] = [];
  shutDown = false;
  private waiters: (() => void)[] = [];

  constructor(private room = Infinity) {}

  emit(record: string, receivedBytes = 0): void {
    this.emitted.push(record);
    this.sizes.push(receivedBytes);
    this.room--;
  }
  hasSpace(): boolean {
    return this.room > 0;
  }
  whenSpace(): Promise<void> {
    if (this.hasSpace()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  free(count: number): void {
    this.room += count;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
  flushUntil(): Promise<boolean> {
    return Promise.resolve(true);
  }
  shutdownUntil(): Promise<void> {
    this.shutDown = true;
    return Promise.resolve();
  }
}

const upper = (line: string): string => line.toUpperCase();
const lines = (count: number): string[] => Array.from({ length: count }, (_, i) => `l${i}`);

describe('SlicedMapping', () => {
  it('takes a line at once and maps it in a later turn, keeping its size', async () => {
    const pipeline = new ScriptedPipeline();
    const sliced = new SlicedMapping(pipeline, upper);
    sliced.emit('hello', 5);
    expect(pipeline.emitted).toEqual([]);
    await nextTurn();
    expect(pipeline.emitted).toEqual(['HELLO']);
    expect(pipeline.sizes).toEqual([5]);
  });

  it('holds at most one slice (128 lines): past it the line buffer waits', async () => {
    const pipeline = new ScriptedPipeline();
    const sliced = new SlicedMapping(pipeline, upper);
    for (const line of lines(127)) sliced.emit(line);
    expect(sliced.hasSpace()).toBe(true);
    sliced.emit('last');
    expect(sliced.hasSpace()).toBe(false);
    const space = sliced.whenSpace();
    await space;
    expect(pipeline.emitted).toHaveLength(128);
    expect(sliced.hasSpace()).toBe(true);
  });

  it('maps one slice per turn, so other work (the next read) runs between slices', async () => {
    const pipeline = new ScriptedPipeline();
    const sliced = new SlicedMapping(pipeline, upper);
    for (const line of lines(128)) sliced.emit(line);
    let between = -1;
    setImmediate(() => (between = pipeline.emitted.length));
    // Resolves once the first slice is mapped; the next lines come then, as from the buffer.
    await sliced.whenSpace();
    for (const line of lines(50)) sliced.emit(line);
    await nextTurn();
    await nextTurn();
    expect(between).toBe(128);
    expect(pipeline.emitted).toHaveLength(178);
  });

  it('keeps the order of the lines, also while the pipeline has no room', async () => {
    const pipeline = new ScriptedPipeline(3);
    const sliced = new SlicedMapping(pipeline, upper);
    for (const line of lines(10)) sliced.emit(line);
    await nextTurn();
    expect(pipeline.emitted).toEqual(['L0', 'L1', 'L2']);
    pipeline.free(100);
    await nextTurn();
    await nextTurn();
    expect(pipeline.emitted).toEqual(lines(10).map(upper));
  });

  it('maps every line it holds before it flushes the pipeline', async () => {
    const pipeline = new ScriptedPipeline();
    const sliced = new SlicedMapping(pipeline, upper);
    for (const line of lines(20)) sliced.emit(line);
    await expect(sliced.flushUntil(Date.now() + 1000)).resolves.toBe(true);
    expect(pipeline.emitted).toHaveLength(20);
  });

  it('counts what it still holds at the end of the budget as undelivered-at-exit', async () => {
    const pipeline = new ScriptedPipeline(2);
    const sliced = new SlicedMapping(pipeline, upper);
    for (const line of lines(5)) sliced.emit(line);
    await sliced.shutdownUntil(Date.now() + 50);
    expect(pipeline.emitted).toEqual(['L0', 'L1']);
    expect(pipeline.stats.dropped['undelivered-at-exit']).toBe(3);
    expect(pipeline.shutDown).toBe(true);
    // The slice that waited for room does not hand on what was counted.
    pipeline.free(10);
    await nextTurn();
    expect(pipeline.emitted).toEqual(['L0', 'L1']);
  });

  it('counts a line its mapper throws on as rejected, and goes on', async () => {
    const warn = jest.spyOn(diag, 'warn').mockImplementation(() => {});
    const pipeline = new ScriptedPipeline();
    const sliced = new SlicedMapping(pipeline, (line) => {
      if (line === 'bad') throw new Error('unmappable');
      return line;
    });
    for (const line of ['a', 'bad', 'b']) sliced.emit(line);
    await nextTurn();
    expect(pipeline.emitted).toEqual(['a', 'b']);
    expect(pipeline.stats.dropped.rejected).toBe(1);
    warn.mockRestore();
  });

  it('shares the pipeline’s counts', () => {
    const pipeline = new ScriptedPipeline();
    const sliced = new SlicedMapping(pipeline, upper);
    expect(sliced.stats).toBe(pipeline.stats);
  });
});
