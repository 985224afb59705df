import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { useCollectorRegistry } from './collector/collector-registry'; // no `.js`: see collector-registry.ts

const BUILD_SCRIPT = resolve(__dirname, 'collector/build.sh');
// A cold build takes a few minutes (about 3 on 2 cores); a cached one returns at once.
const BUILD_TIMEOUT_MS = 15 * 60_000;

/** Runs build.sh in its own process group, so a timeout can stop the Go builder under it too. */
function runBuildScript(): Promise<string> {
  return new Promise((resolvePath, reject) => {
    const child = spawn('bash', [BUILD_SCRIPT], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, BUILD_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const binary = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && binary) resolvePath(binary);
      else reject(new Error(`${BUILD_SCRIPT} failed (${code ?? signal}); see its output above`));
    });
  });
}

/**
 * Jest global setup of the `integration` project: locates (or builds, once) the collector with
 * test/integration/collector/build.sh and hands its path to the test workers through
 * `TRACELINK_OTELCOL_BIN`, unless that is already set; and starts this run's collector registry,
 * which the global teardown empties.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TRACELINK_OTELCOL_BIN ||= await runBuildScript();
  useCollectorRegistry(mkdtempSync(join(tmpdir(), 'tracelink-collectors-')));
}
