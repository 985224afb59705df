// `npm run stack` (examples/stack/main.ts): starts everything, sends orders, prints the URLs to
// open, and stops everything on Ctrl-C.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { queryLogs, zipkinTrace } from './store-queries';

const ROOT = resolve(__dirname, '../..');
// Built stores are cached by the time this runs (`npm run test:e2e` after the build scripts);
// Zipkin alone may take 30 s or more to start on a loaded machine.
const READY_TIMEOUT_MS = 5 * 60_000;
const STOP_TIMEOUT_MS = 60_000;

// The services keep running: their last batches may still be on the way to the stores.
const DELIVERY_TIMEOUT_MS = 30_000;

/** Calls `read` every 500 ms until `done(value)` or the timeout; resolves the last value. */
async function pollFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await delay(500);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const answer = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await answer.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

describe('npm run stack', () => {
  let child: ChildProcess;
  let output = '';
  const printed = (label: string): string =>
    new RegExp(`${label}\\s+(\\S+)`).exec(output)?.[1] ?? `(no "${label}" line)`;

  beforeAll(async () => {
    // What `npm run stack` runs after `npm run build`.
    child = spawn(process.execPath, ['--import', 'tsx', 'examples/stack/main.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!output.includes('Ctrl-C stops everything') && child.exitCode === null) {
      if (Date.now() > deadline) throw new Error(`not ready in time; it printed:\n${output}`);
      await delay(250);
    }
  }, READY_TIMEOUT_MS + 10_000);

  // Ctrl-C first, so the stack stops the stores it started (a SIGKILL would leave them running).
  afterAll(async () => {
    if (child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    await Promise.race([exited, delay(STOP_TIMEOUT_MS, undefined, { ref: false })]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }, STOP_TIMEOUT_MS + 10_000);

  it("prints a failing order's Zipkin trace, which holds spans of both services", async () => {
    const url = new URL(printed('its trace in Zipkin'));
    const traceId = url.pathname.split('/').pop() ?? '';
    expect(url.pathname).toBe(`/zipkin/traces/${traceId}`);
    expect(await answers(url.href)).toBe(true);
    const spans = await pollFor(
      () => zipkinTrace(url.origin, traceId),
      (found) => new Set(found?.map((span) => span.service)).size === 2,
    );
    expect(new Set(spans?.map((span) => span.service))).toEqual(new Set(['orders', 'billing']));
  }, 60_000);

  it("prints the VictoriaLogs query of that trace's logs, which finds its lines from both services", async () => {
    const traceId = new URL(printed('its trace in Zipkin')).pathname.split('/').pop() ?? '';
    const url = new URL(printed('its logs in VictoriaLogs'));
    expect(url.pathname).toBe('/select/vmui/');
    expect(decodeURIComponent(url.hash)).toBe(`#/?query=trace_id:="${traceId}"`);
    const records = await pollFor(
      () => queryLogs(url.origin, `trace_id:="${traceId}"`),
      (found) => found.length >= 4,
    );
    expect(records.map((record) => record._msg).sort()).toEqual([
      'creating invoice',
      'invoice refused',
      'order failed',
      'order received',
    ]);
  }, 60_000);

  it(
    'stops every process on Ctrl-C (SIGINT) and exits cleanly',
    async () => {
      const stores = [
        'its trace in Zipkin',
        'its logs in VictoriaLogs',
        'its trace from Jaeger',
      ].map((label) => new URL(printed(label)).origin);
      for (const origin of stores) expect(await answers(origin)).toBe(true);
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      const [code] = (await Promise.race([
        exited,
        delay(STOP_TIMEOUT_MS, ['timeout'], { ref: false }),
      ])) as [number | string];
      expect(code).toBe(0);
      expect(output).toContain('stopped;');
      for (const origin of stores) expect(await answers(origin)).toBe(false);
    },
    STOP_TIMEOUT_MS + 30_000,
  );
});
