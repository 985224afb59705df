import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { pollUntil } from '../poll-until.js';
import { registerCollector, unregisterCollector } from './collector-registry.js';

/** Longest wait for the health endpoint of a starting collector. */
export const STARTUP_TIMEOUT_MS = 20_000;
/** Longest wait after SIGTERM before SIGKILL. */
export const STOP_TIMEOUT_MS = 5_000;
const KILL_TIMEOUT_MS = 2_000;

/** The collector did not come up: bad config, a taken port, or no binary. */
export class CollectorStartError extends Error {
  override readonly name = 'CollectorStartError';
}

// Collectors still running when the process exits are killed, so none outlive a script that forgot
// to stop one. (Inside Jest this hook does not fire; the global teardown reaps them instead.)
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/**
 * The collector binary: `TRACELINK_OTELCOL_BIN`, which the integration project's global setup
 * sets from `test/integration/collector/build.sh`.
 *
 * @example
 * spawn(collectorBinary(), ['--config', 'file:/tmp/config.yaml']);
 */
export function collectorBinary(): string {
  const binary = process.env.TRACELINK_OTELCOL_BIN;
  if (!binary) {
    throw new CollectorStartError(
      'TRACELINK_OTELCOL_BIN is not set: run the tests with `npm run test:integration` ' +
        '(or set it to the path `bash test/integration/collector/build.sh` prints)',
    );
  }
  return binary;
}

/**
 * The last `lines` lines of the collector's own log, for error messages.
 *
 * @example
 * throw new Error(`collector failed:\n${readLogTail(logFile)}`);
 */
export function readLogTail(logFile: string, lines = 20): string {
  try {
    const text = readFileSync(logFile, 'utf8').trimEnd();
    return text === '' ? '(collector log is empty)' : text.split('\n').slice(-lines).join('\n');
  } catch {
    return '(no collector log)';
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    child.once('exit', onExit);
  });
}

// node:http with `agent: false` rather than fetch: no keep-alive socket is left behind.
function isHealthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(
      { host: '127.0.0.1', port, path: '/', agent: false, timeout: 1000 },
      (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** Where to find the config, where to log, and which port answers health checks. */
export interface LaunchOptions {
  binary: string;
  configFile: string;
  logFile: string;
  healthPort: number;
}

/**
 * Spawns the collector (stdout and stderr appended to `logFile`) and resolves once its
 * health_check extension answers 200; throws a {@link CollectorStartError} with the log's tail
 * if it exits first or is not healthy within {@link STARTUP_TIMEOUT_MS}.
 *
 * @example
 * const child = await launchCollector({ binary, configFile, logFile, healthPort });
 */
export async function launchCollector(options: LaunchOptions): Promise<ChildProcess> {
  const fd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.binary, ['--config', `file:${options.configFile}`], {
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  // Unref'd: a collector a test forgot to stop must not keep Jest alive (see collector-registry).
  child.unref();
  running.add(child);
  registerCollector(child.pid, options.configFile);
  child.once('exit', () => {
    running.delete(child);
    unregisterCollector(child.pid);
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const healthy = await pollUntil(
    async () => hasExited(child) || (await isHealthy(options.healthPort)),
    STARTUP_TIMEOUT_MS,
    25,
  );
  if (healthy && !hasExited(child)) return child;
  await terminateCollector(child);
  const reason = spawnError
    ? `could not be spawned: ${spawnError.message}`
    : healthy
      ? `exited with ${child.exitCode ?? child.signalCode}`
      : `was not healthy within ${STARTUP_TIMEOUT_MS} ms`;
  throw new CollectorStartError(
    `collector ${reason} (${options.binary}); its log:\n${readLogTail(options.logFile)}`,
  );
}

/**
 * SIGTERM, up to {@link STOP_TIMEOUT_MS} for a graceful shutdown (the file exporter flushes),
 * then SIGKILL. Resolves whether the process is gone.
 *
 * @example
 * await terminateCollector(child);
 */
export async function terminateCollector(child: ChildProcess): Promise<boolean> {
  if (hasExited(child)) return true;
  child.kill('SIGTERM');
  if (await waitForExit(child, STOP_TIMEOUT_MS)) return true;
  child.kill('SIGKILL');
  return waitForExit(child, KILL_TIMEOUT_MS);
}
