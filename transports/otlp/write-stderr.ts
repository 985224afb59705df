import { writeSync } from 'node:fs';

/**
 * Writes a line to the process's stderr synchronously. In pino's worker thread,
 * `process.stderr` is forwarded to the main thread asynchronously — at exit, while the main
 * thread waits for the worker, such a line would never appear. Never throws.
 */
export function writeStderrLine(line: string): void {
  try {
    writeSync(2, `${line}\n`);
  } catch {
    // stderr is closed: there is nowhere left to report to.
  }
}
