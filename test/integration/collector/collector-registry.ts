import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

// Every running collector of one Jest run is listed in a directory made by the global setup (one
// file per pid, holding its config path), so the global teardown can stop those a test left
// running: a worker's own `process.on('exit')` does not fire inside Jest's sandbox. No relative
// imports here: the global setup and teardown load this file through Node's resolver, without
// Jest's moduleNameMapper for `.js` specifiers.
const REGISTRY_ENV = 'TRACELINK_COLLECTOR_REGISTRY';

function registryDir(): string | undefined {
  return process.env[REGISTRY_ENV] || undefined;
}

/**
 * Sets the registry directory for this run and its workers.
 *
 * @example
 * useCollectorRegistry(mkdtempSync(join(tmpdir(), 'tracelink-collectors-')));
 */
export function useCollectorRegistry(dir: string): void {
  process.env[REGISTRY_ENV] = dir;
}

/** Notes a started collector (no-op outside a Jest run with the global setup). */
export function registerCollector(pid: number | undefined, configFile: string): void {
  const dir = registryDir();
  if (dir && pid !== undefined) writeFileSync(join(dir, String(pid)), configFile);
}

/** Forgets a collector that has exited. */
export function unregisterCollector(pid: number | undefined): void {
  const dir = registryDir();
  if (dir && pid !== undefined) rmSync(join(dir, String(pid)), { force: true });
}

function commandOf(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  } catch {
    return ''; // no such process
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops every collector still registered (SIGTERM, up to 5 s, then SIGKILL), removes their temp
 * dirs and the registry, and returns the config paths of those it stopped. A pid is only
 * signalled while its command line still names its config file, so a reused pid is left alone.
 *
 * @example
 * const leftovers = await reapCollectors();
 */
export async function reapCollectors(): Promise<string[]> {
  const dir = registryDir();
  if (!dir) return [];
  const reaped: string[] = [];
  for (const name of readdirSync(dir)) {
    const pid = Number(name);
    const configFile = readFileSync(join(dir, name), 'utf8');
    if (commandOf(pid).includes(configFile)) {
      process.kill(pid, 'SIGTERM');
      for (let waited = 0; isAlive(pid) && waited < 5_000; waited += 50) await delay(50);
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      reaped.push(configFile);
    }
    const tempDir = dirname(configFile);
    if (isAbsolute(tempDir) && basename(tempDir).startsWith('tracelink-otelcol-')) {
      rmSync(tempDir, { recursive: true, force: true });
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return reaped;
}
