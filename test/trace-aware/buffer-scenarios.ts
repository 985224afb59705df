// The behaviours every trace buffer shows, for pino and winston, in lightweight and SDK mode:
// each test file runs them against real loggers behind a real traceRequests server.
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { traceRequests, withConsumerSpan } from 'tracelink/propagation';
import type { TraceBufferStats } from 'tracelink/pino';
import { close, listen } from '../helpers/http-server.js';

/** A logger with a trace buffer, as a test drives it. */
export interface BufferedLogger {
  debug(message: string): void;
  info(message: string): void;
  error(message: string): void;
  /** The lines written so far: message, level name, time of the log call (ms). */
  written(): Promise<{ msg: string; level: string; time: number }[]>;
  stats(): TraceBufferStats;
  close(): Promise<void>;
}

/** Waits (bounded) until no request is open in the buffer: a response's `close` comes last. */
export async function settled(logger: BufferedLogger): Promise<void> {
  for (let i = 0; i < 200 && logger.stats().openTraces > 0; i++) await sleep(5);
  await sleep(5);
}

export function describeBufferScenarios(make: () => BufferedLogger): void {
  let logger: BufferedLogger;
  let server: Server;
  let base: string;

  beforeEach(async () => {
    logger = make();
    server = createServer(
      traceRequests(async (req, res) => {
        const path = req.url ?? '';
        logger.debug(`${path} first`);
        await sleep(25);
        logger.info(`${path} info`);
        logger.debug(`${path} second`);
        if (path === '/error-line') {
          logger.error(`${path} failed`);
          logger.debug(`${path} after`);
        }
        res.statusCode = path === '/status-500' ? 500 : path === '/status-404' ? 404 : 200;
        res.end();
      }),
    );
    base = await listen(server);
  });
  afterEach(async () => {
    await close(server);
    await logger.close();
  });

  async function get(path: string): Promise<void> {
    const response = await fetch(`${base}${path}`);
    await response.arrayBuffer();
    await settled(logger);
  }

  it('discards the debug lines of a request that ends cleanly, and counts them', async () => {
    await get('/ok');
    expect((await logger.written()).map((l) => l.msg)).toEqual(['/ok info']);
    expect(logger.stats()).toMatchObject({ held: 0, heldBytes: 0, discarded: 2, flushed: 0 });
  });

  it('treats a 4xx as a clean end (the client’s error)', async () => {
    await get('/status-404');
    expect((await logger.written()).map((l) => l.msg)).toEqual(['/status-404 info']);
    expect(logger.stats().discarded).toBe(2);
  });

  it('writes the held lines, in order and with their own times, when the request ends with a 5xx', async () => {
    await get('/status-500');
    const lines = await logger.written();
    expect(lines.map((l) => l.msg)).toEqual([
      '/status-500 info',
      '/status-500 first',
      '/status-500 second',
    ]);
    const first = lines[1];
    const second = lines[2];
    // 25 ms passed between the two debug calls: each line carries its own call's time.
    expect(second.time - first.time).toBeGreaterThanOrEqual(20);
    expect(first.level).toBe('debug');
    expect(logger.stats()).toMatchObject({ flushed: 2, discarded: 0, held: 0 });
  });

  it('writes the held lines before an error line of the same trace, then writes that trace at once', async () => {
    await get('/error-line');
    expect((await logger.written()).map((l) => l.msg)).toEqual([
      '/error-line info',
      '/error-line first',
      '/error-line second',
      '/error-line failed',
      '/error-line after',
    ]);
    expect(logger.stats()).toMatchObject({ flushed: 2, discarded: 0 });
  });

  it('keeps each request’s lines to itself when requests overlap', async () => {
    await Promise.all([get('/status-500'), get('/ok'), get('/ok')]);
    const messages = (await logger.written()).map((l) => l.msg);
    expect(messages.filter((m) => m.startsWith('/status-500'))).toEqual([
      '/status-500 info',
      '/status-500 first',
      '/status-500 second',
    ]);
    expect(messages.filter((m) => m.startsWith('/ok'))).toEqual(['/ok info', '/ok info']);
    expect(logger.stats()).toMatchObject({ flushed: 2, discarded: 4 });
  });

  it('writes lines logged outside any traced request at once', async () => {
    logger.debug('at start-up');
    expect((await logger.written()).map((l) => l.msg)).toEqual(['at start-up']);
  });

  it('writes the held lines of a consumer whose handler rejects, and discards them when it resolves', async () => {
    const consume = (fail: boolean) =>
      withConsumerSpan({ system: 'kafka', destination: 'orders' }, {}, async () => {
        logger.debug(fail ? 'failing message' : 'good message');
        await sleep(1);
        if (fail) throw new Error('handler failed');
      });
    await consume(false);
    await expect(consume(true)).rejects.toThrow('handler failed');
    expect((await logger.written()).map((l) => l.msg)).toEqual(['failing message']);
    expect(logger.stats()).toMatchObject({ flushed: 1, discarded: 1 });
  });

  it('writes the held lines of a consumer whose handler throws synchronously', () => {
    expect(() =>
      withConsumerSpan({ system: 'kafka', destination: 'orders' }, {}, () => {
        logger.debug('before the throw');
        throw new Error('sync failure');
      }),
    ).toThrow('sync failure');
    return expect(logger.written().then((l) => l.map((x) => x.msg))).resolves.toEqual([
      'before the throw',
    ]);
  });
}
