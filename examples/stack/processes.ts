// Starting and stopping the stack's processes: each with its output in a log file, ready when an
// HTTP health URL answers 200, stopped with SIGTERM and, if it lingers, SIGKILL. Every wait is
// bounded.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** A started process of the stack. */
export interface StackProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
}

/** What to run and how to know it is ready. */
export interface LaunchOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly logFile: string;
  /** Answers 200 once the process serves. */
  readonly healthUrl: string;
  /** Longest wait for `healthUrl`. */
  readonly readyTimeoutMs: number;
  readonly env?: Record<string, string>;
}

// Processes still running when this one exits are killed, so none outlive a crashed run.
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/**
 * `count` distinct ports on 127.0.0.1 that were free a moment ago (all held open together, so
 * the kernel hands out no port twice).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(
        (server) =>
          new Promise<number>((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
          }),
      ),
    );
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

/** The last lines of a log file, for error messages. */
export function logTail(logFile: string, lines = 15): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** GET `url` with no keep-alive; resolves whether it answered 200 within a second. */
export function answers200(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/**
 * Spawns the process in a process group of its own (Ctrl-C reaches only the stack's runner,
 * which stops everything in order) and resolves once `healthUrl` answers 200. Throws with the
 * log's tail if the process exits first or is not ready in time.
 */
export async function launch(options: LaunchOptions): Promise<StackProcess> {
  const fd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(options.command, options.args, {
      stdio: ['ignore', fd, fd],
      detached: true,
      env: { ...process.env, ...options.env },
    });
  } finally {
    closeSync(fd);
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const started = { name: options.name, child, logFile: options.logFile };
  const deadline = Date.now() + options.readyTimeoutMs;
  while (!exited(child) && spawnError === undefined) {
    if (await answers200(options.healthUrl)) return started;
    if (Date.now() > deadline) break;
    await delay(100);
  }
  await stop(started);
  const reason = spawnError
    ? `could not be spawned (${spawnError.message})`
    : exited(child)
      ? `exited with ${child.exitCode ?? child.signalCode}`
      : `was not ready within ${options.readyTimeoutMs} ms`;
  throw new Error(
    `${options.name} ${reason}; its log (${options.logFile}):\n${logTail(options.logFile)}`,
  );
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/**
 * SIGTERM, up to `graceMs` for the process to end (Zipkin takes a few seconds), then SIGKILL.
 * Resolves once it is gone, so its port can be used again.
 */
export async function stop(process: StackProcess, graceMs = 10_000): Promise<void> {
  const { child } = process;
  if (exited(child)) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, graceMs)) return;
  child.kill('SIGKILL');
  await waitForExit(child, 5_000);
}
