import { reportProblem } from '../../src/core/report-problem.js';
import type { DeliveryStats } from './report/delivery-stats.js';
import type { PipelineInput } from './queued-pipeline.js';

// Lines mapped in one turn of the worker's event loop. A line costs the worker a few µs to
// parse, map and encode; a slice of 128 keeps each turn well under a millisecond, while the
// logging thread needs several to fill the buffer it shares with the worker.
const SLICE = 128;

/**
 * Sits between the worker's in-memory line buffer and the pipeline, and maps the lines a slice at a
 * time, one slice per turn of the worker's event loop (`setImmediate`). Without it the
 * buffer maps a line as it takes it, while the pipeline has room: reading a chunk from the
 * logging thread then waits for every line of it to be parsed, mapped and encoded, and in a
 * burst the logging thread — which writes synchronously and waits whenever the shared buffer
 * is full — waited for that work too (in `npm run bench -- transports`, the `tl-winston` loop
 * spent more time in thread-stream's `flushSync` than logging). Between slices thread-stream
 * reads what the logging thread wrote, so the work stays on this thread without holding the
 * other one. At most one slice waits here; what waits here counts as buffered, and at the
 * end as undelivered when the budget ends first. (A disk spool needs none of this: it reads
 * its lines back from disk a block at a time, between reads, and maps them as it reads.)
 *
 * @example
 * ```ts
 * const sliced = new SlicedMapping(pipeline, (line) => encode(readRecordLine(line, mapping)));
 * sliced.emit(line, line.length); // mapped and handed to `pipeline` in a later turn
 * ```
 */
export class SlicedMapping<R> implements PipelineInput<string> {
  readonly stats: DeliveryStats;
  private lines: string[] = [];
  private sizes: number[] = [];
  /** The next line to map: `lines` before it are done. */
  private head = 0;
  private scheduled = false;
  private closed = false;
  /** The slice being mapped, while it is. */
  private mapping: Promise<void> | undefined;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly pipeline: PipelineInput<R>,
    private readonly map: (line: string) => R,
  ) {
    this.stats = pipeline.stats;
  }

  emit(line: string, receivedBytes = 0): void {
    this.lines.push(line);
    this.sizes.push(receivedBytes);
    this.schedule();
  }

  hasSpace(): boolean {
    return this.held < SLICE;
  }

  whenSpace(): Promise<void> {
    if (this.hasSpace()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async flushUntil(deadline: number): Promise<boolean> {
    await this.mappedUntil(deadline);
    return this.pipeline.flushUntil(deadline);
  }

  async shutdownUntil(deadline: number): Promise<void> {
    await this.mappedUntil(deadline);
    this.closed = true;
    const left = this.held;
    if (left > 0) this.stats.drop('undelivered-at-exit', left);
    this.lines = [];
    this.sizes = [];
    this.head = 0;
    await this.pipeline.shutdownUntil(deadline);
  }

  private get held(): number {
    return this.lines.length - this.head;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.mapSlice);
  }

  private readonly mapSlice = (): void => {
    this.scheduled = false;
    void this.startMapping(); // never rejects: mapLines catches
  };

  private startMapping(): Promise<void> | undefined {
    if (this.mapping === undefined && this.held > 0 && !this.closed) {
      this.mapping = this.mapLines().finally(() => {
        this.mapping = undefined;
        // Lines that came while this slice waited for room: the next turn maps them.
        if (this.held > 0) this.schedule();
      });
    }
    return this.mapping;
  }

  /** Resolves once every line held here has gone to the pipeline, or at `deadline`. */
  private async mappedUntil(deadline: number): Promise<void> {
    while (this.held > 0 && Date.now() < deadline) {
      const mapping = this.startMapping();
      if (mapping === undefined) return;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      });
      await Promise.race([mapping, timedOut]);
      clearTimeout(timer);
    }
  }

  /** Maps the lines held now into the pipeline, as it has room; then lets the next ones in. */
  private async mapLines(): Promise<void> {
    const { pipeline } = this;
    const end = this.lines.length;
    while (this.head < end) {
      try {
        if (!pipeline.hasSpace()) await pipeline.whenSpace();
      } catch (error) {
        // Not expected; if it happens, the lines held here are counted at the close.
        reportProblem('feeding the export queue', 'held records wait for the close', error);
        return;
      }
      // Shut down while this waited: what is left was counted there.
      if (this.closed) return;
      const line = this.lines[this.head];
      const size = this.sizes[this.head];
      this.head++;
      try {
        pipeline.emit(this.map(line), size);
      } catch (error) {
        // The mapper never throws by design; if it does, the record is still counted.
        this.stats.drop('rejected', 1);
        reportProblem('mapping a log record', 'the record is dropped and counted', error);
      }
    }
    this.lines.splice(0, end);
    this.sizes.splice(0, end);
    this.head = 0;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
