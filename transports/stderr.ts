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

/** A short, single-line description of an export error for reports. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message.split('\n')[0] ?? '';
    return typeof code === 'string' || typeof code === 'number' ? `${code} ${message}` : message;
  }
  return String(error);
}
