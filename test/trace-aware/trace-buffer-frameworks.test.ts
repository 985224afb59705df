import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import express from 'express';
import Fastify from 'fastify';
import { fastifyTracePlugin, traceMiddleware, traceRequests } from 'tracelink/propagation';
import { close, listen, useLightweightMode } from '../helpers/http-server.js';
import { settled } from './buffer-scenarios.js';
import { bufferedPino } from './loggers.js';

useLightweightMode();

describe('a trace buffer behind each of tracelink’s HTTP server integrations', () => {
  it('traceRequests: writes the held lines when the handler rejects or throws, at once', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', resolve(__dirname, 'fixtures/failing-handlers.ts')],
      { cwd: resolve(__dirname, '../..'), encoding: 'utf8', timeout: 30_000 },
    );
    const lines = out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; seen?: string[]; stats?: object });
    expect(lines.filter((l) => l.msg !== undefined).map((l) => l.msg)).toEqual([
      '/rejects detail',
      '/sync sync detail',
    ]);
    // The errors reach the process unchanged.
    expect(lines.at(-1)).toMatchObject({
      seen: ['rejection: handler rejected, flushed 1', 'exception: handler threw, flushed 2'],
      stats: { flushed: 2, discarded: 1, held: 0 },
    });
  });

  it('traceMiddleware: writes the held lines when a route throws and Express answers 500', async () => {
    const logger = bufferedPino();
    const app = express();
    app.use(traceMiddleware());
    app.get('/ok', (_req, res) => {
      logger.debug('ok detail');
      res.send('ok');
    });
    app.get('/boom', () => {
      logger.debug('boom detail');
      throw new Error('boom');
    });
    // Express's default handler would print the stack: answer 500 quietly instead.
    app.use((_error: unknown, _req: express.Request, res: express.Response, _next: unknown) => {
      res.status(500).end();
    });
    const server = createServer(app);
    try {
      const base = await listen(server);
      await (await fetch(`${base}/ok`)).text();
      await (await fetch(`${base}/boom`)).text();
      await settled(logger);
      expect((await logger.written()).map((l) => l.msg)).toEqual(['boom detail']);
      expect(logger.stats()).toMatchObject({ flushed: 1, discarded: 1 });
    } finally {
      await close(server);
      await logger.close();
    }
  });

  it('counts a request traced twice (traceRequests around traceMiddleware) as one', async () => {
    const logger = bufferedPino();
    const app = express();
    app.use(traceMiddleware());
    app.get('/ok', (_req, res) => {
      logger.debug('ok detail');
      res.send('ok');
    });
    const server = createServer(
      traceRequests((req, res) => {
        app(req, res);
      }),
    );
    try {
      const base = await listen(server);
      await (await fetch(`${base}/ok`)).text();
      await settled(logger);
      expect(logger.stats()).toMatchObject({ openTraces: 0, discarded: 1, held: 0 });
    } finally {
      await close(server);
      await logger.close();
    }
  });

  it('fastifyTracePlugin: writes the held lines when a route throws and Fastify answers 500', async () => {
    const logger = bufferedPino();
    const app = Fastify();
    await app.register(fastifyTracePlugin);
    app.get('/ok', () => {
      logger.debug('ok detail');
      return 'ok';
    });
    app.get('/boom', () => {
      logger.debug('boom detail');
      throw new Error('boom');
    });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      await (await fetch(`http://127.0.0.1:${port}/ok`)).text();
      await (await fetch(`http://127.0.0.1:${port}/boom`)).text();
      await settled(logger);
      expect((await logger.written()).map((l) => l.msg)).toEqual(['boom detail']);
      expect(logger.stats()).toMatchObject({ flushed: 1, discarded: 1 });
    } finally {
      await app.close();
      await logger.close();
    }
  });
});
