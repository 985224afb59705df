import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** What a fixture process did. */
export interface FixtureRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From spawn to exit. */
  readonly millis: number;
  /**
   * From the moment the app began to exit (the `endingAt` of its report) to its exit: the
   * interval an exit budget promises, free of the start-up and logging time a loaded machine
   * stretches. `NaN` when the fixture reported no `endingAt`.
   */
  readonly exitMillis: number;
  /** The first stdout line, parsed (the fixture's report of the ids it used). */
  readonly report: Record<string, unknown>;
}

/**
 * Runs `test/integration/fixtures/<name>` in its own Node process — exit behaviour can only be
 * tested in a process that really exits — and resolves when it has exited (bounded).
 */
export function runFixture(
  name: string,
  env: Record<string, string>,
  options: {
    timeoutMs?: number;
    onSpawn?: (pid: number) => void;
    /** Each chunk of stderr as it comes, to read it while the app runs. */
    onStderr?: (chunk: string) => void;
    /** Each chunk of stdout as it comes. */
    onStdout?: (chunk: string) => void;
  } = {},
): Promise<FixtureRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [resolve(__dirname, 'fixtures', name)], {
    cwd: resolve(__dirname, '../..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    options.onStdout?.(chunk.toString());
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    options.onStderr?.(chunk.toString());
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `fixture ${name} did not exit within ${options.timeoutMs ?? 60_000} ms\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // Let the pipes drain: 'exit' can come before the last output.
      const exitedAt = Date.now();
      setImmediate(() => {
        const firstLine = stdout.split('\n')[0] ?? '';
        let report: Record<string, unknown> = {};
        try {
          report = JSON.parse(firstLine) as Record<string, unknown>;
        } catch {
          // A fixture that printed nothing: the test's assertions will say so.
        }
        const exitMillis = exitedAt - Number(report.endingAt ?? NaN);
        resolvePromise({
          code,
          signal,
          stdout,
          stderr,
          millis: exitedAt - started,
          exitMillis,
          report,
        });
      });
    });
  });
}
