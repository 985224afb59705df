import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startCollector } from './collector/start-collector.js';
import type { RunningCollector } from './collector/start-collector.js';

let collector: RunningCollector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.stop());

/** Starts the app, sends SIGTERM once it has logged, resolves with how it ended. */
function runUntilSigterm(
  env: Record<string, string>,
): Promise<{ code: number | null; signal: string | null }> {
  const child = spawn(process.execPath, [resolve(__dirname, 'fixtures/signal-app.cjs')], {
    cwd: resolve(__dirname, '../..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('logged')) child.kill('SIGTERM');
  });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the app did not end within 20 s'));
    }, 20_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal });
    });
  });
}

// Nothing is sent before exit: one batch holds all 1000 records and the timer is far away.
const HOLD_EVERYTHING = { maxExportBatchSize: 2048, scheduledDelayMillis: 60_000 };

describe('exitOnSignals', () => {
  describe.each(['pino', 'winston'])('with the %s transport', (logger) => {
    it('delivers every record when SIGTERM stops an app that has no handler of its own', async () => {
      const serviceName = `signals-${logger}-on`;
      const before = (await collector.readLogRecords()).length;
      const ended = await runUntilSigterm({
        FIXTURE_LOGGER: logger,
        FIXTURE_SIGNALS: '1',
        FIXTURE_OPTIONS: JSON.stringify({
          endpoint: collector.logsUrl,
          serviceName,
          ...HOLD_EVERYTHING,
        }),
      });
      expect(ended).toEqual({ code: 143, signal: null });
      const records = (await collector.waitForLogRecords(before + 1000)).filter(
        (r) => r.resource['service.name'] === serviceName,
      );
      expect(records).toHaveLength(1000);
    });

    it('is needed: without it, SIGTERM kills the app and its held records are lost', async () => {
      const serviceName = `signals-${logger}-off`;
      const ended = await runUntilSigterm({
        FIXTURE_LOGGER: logger,
        FIXTURE_SIGNALS: '0',
        FIXTURE_OPTIONS: JSON.stringify({
          endpoint: collector.logsUrl,
          serviceName,
          ...HOLD_EVERYTHING,
        }),
      });
      expect(ended).toEqual({ code: null, signal: 'SIGTERM' });
      await new Promise((r) => setTimeout(r, 500)); // the file exporter flushes every 100 ms
      const records = (await collector.readLogRecords()).filter(
        (r) => r.resource['service.name'] === serviceName,
      );
      expect(records).toHaveLength(0);
    });
  });
});
