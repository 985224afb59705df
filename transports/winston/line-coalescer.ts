import { reportProblem } from '../../src/core/report-problem.js';
import { writeStderrLine } from '../stderr.js';

// About 300 typical records: few enough to bound what waits here, enough that the handover's
// fixed cost (a futex wake of the worker per write in thread-stream's synchronous mode) is
// paid once per chunk rather than once per record.
const DEFAULT_MAX_PENDING_CHARS = 64 * 1024;

/**
 * Gathers the lines the winston transport hands its worker and writes them in chunks: when
 * `maxPendingChars` have gathered, and otherwise in a microtask, once the code that logged
 * returns. So a burst costs one handover per chunk, and a lone record still reaches the
 * worker before anything else runs. `flush()` writes what is pending at once; the transport
 * calls it before it ends the stream and in its exit hook, so nothing waits here at exit.
 * A failing write never throws into the code that logged: its records are reported lost on
 * stderr and through `diag`.
 *
 * @example
 * ```ts
 * const lines = new LineCoalescer((chunk) => stream.write(chunk));
 * lines.push(JSON.stringify(record)); // written with the next ~300 lines, or in a microtask
 * ```
 */
export class LineCoalescer {
  private pending = '';
  private scheduled = false;

  constructor(
    private readonly write: (chunk: string) => void,
    private readonly maxPendingChars = DEFAULT_MAX_PENDING_CHARS,
  ) {}

  /** Takes one line (without its newline). */
  push(line: string): void {
    this.pending += `${line}\n`;
    if (this.pending.length >= this.maxPendingChars) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.flushScheduled);
    }
  }

  /** Writes what is pending now. */
  flush(): void {
    if (this.pending === '') return;
    const chunk = this.pending;
    this.pending = '';
    try {
      this.write(chunk);
    } catch (error) {
      // Not expected (thread-stream reports a dead worker as an 'error' event); if it
      // happens, the loss is said where the operator looks, not only through diag.
      const lost = chunk.split('\n').length - 1;
      writeStderrLine(`tracelink: ${lost} log records could not be handed to the OTLP worker`);
      reportProblem('handing log lines to the OTLP worker', `${lost} records are lost`, error);
    }
  }

  private readonly flushScheduled = (): void => {
    this.scheduled = false;
    this.flush();
  };
}
