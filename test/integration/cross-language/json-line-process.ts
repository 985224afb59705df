import { execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pollUntil } from '../poll-until';

/** A process that prints one JSON object per stdout line, its first line `{"ready":…,"port"}`. */
export interface JsonLineProcess {
  readonly port: number;
  /** Every JSON line printed so far (the ready line included). */
  readonly lines: Record<string, unknown>[];
  /** What it printed on stderr so far. */
  stderr(): string;
  /** Resolves whether `count` lines matching `predicate` arrived within `timeoutMs`. */
  waitForLines(
    predicate: (line: Record<string, unknown>) => boolean,
    count: number,
    timeoutMs: number,
  ): Promise<boolean>;
  /** Closes its stdin (it then stops by itself) and resolves when it has exited. */
  stop(): Promise<void>;
}

/** Starts `command` and resolves once it printed its ready line (bounded by `timeoutMs`). */
export function startJsonLineProcess(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<JsonLineProcess> {
  const child = spawn(command, args, {
    cwd: resolve(__dirname, '../../..'),
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let rest = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as Record<string, unknown>);
      } catch {
        stderr += `(not JSON on stdout) ${part}\n`;
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const handle: Omit<JsonLineProcess, 'port'> = {
    lines,
    stderr: () => stderr,
    waitForLines: (predicate, count, waitMs) =>
      pollUntil(() => lines.filter(predicate).length >= count, waitMs),
    async stop() {
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
  return (async () => {
    const ready = await Promise.race([
      pollUntil(() => lines.some((line) => line.ready === true), timeoutMs),
      exited.then(() => false),
    ]);
    if (!ready) {
      child.kill('SIGKILL');
      throw new Error(`${command} ${args.join(' ')} did not get ready:\n${stderr}`);
    }
    const port = Number(lines.find((line) => line.ready === true)?.port);
    return { ...handle, port };
  })();
}

/**
 * The venv python with the OpenTelemetry SDK (made on the first call, then cached); with
 * `requirements`, a venv of its own with that file's packages (e.g. grpc-requirements.txt).
 */
export function pythonWithOpenTelemetry(requirements?: string): string {
  const args = [resolve(__dirname, 'setup-python.sh')];
  if (requirements !== undefined) args.push(resolve(__dirname, requirements));
  const out = execFileSync('bash', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 5 * 60_000,
  });
  return out.trim().split('\n').pop() ?? '';
}
