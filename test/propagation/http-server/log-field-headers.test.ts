import http from 'node:http';
import express from 'express';
import Fastify from 'fastify';
import pino from 'pino';
import { getLogFields, InvalidOptionError, logFieldStats } from 'tracelink';
import type { LogFieldValue } from 'tracelink';
import { pinoMixin } from 'tracelink/pino';
import { fastifyTracePlugin, traceMiddleware, traceRequests } from 'tracelink/propagation';
import { CaptureStream } from '../../helpers/capture-stream.js';
import { close, listen, useW3CPropagators } from '../../helpers/http-server.js';
import { useTracing } from '../../helpers/tracing.js';

useTracing();
useW3CPropagators();

const OPTIONS = { logFieldHeaders: { 'x-tenant-id': 'tenant', 'X-Client': 'client' } };

describe('logFieldHeaders', () => {
  describe('with traceRequests', () => {
    let seen: Readonly<Record<string, LogFieldValue>>[] = [];
    const lines = new CaptureStream();
    const logger = pino({ mixin: pinoMixin() }, lines);
    const server = http.createServer(
      traceRequests((_req, res) => {
        seen.push(getLogFields());
        logger.info('handling');
        res.end('ok');
      }, OPTIONS),
    );
    let base = '';
    beforeAll(async () => {
      base = await listen(server);
    });
    afterAll(() => close(server));
    beforeEach(() => {
      seen = [];
      lines.lines.length = 0;
    });

    it('stores the mapped headers as log fields: every line of the request carries them', async () => {
      await fetch(base, { headers: { 'x-tenant-id': 'acme', 'x-client': ' web ' } });
      expect(seen).toEqual([{ tenant: 'acme', client: 'web' }]);
      expect(lines.lines[0]).toMatchObject({ tenant: 'acme', client: 'web', msg: 'handling' });
    });

    it('sets only the headers present', async () => {
      await fetch(base, { headers: { 'x-client': 'cli' } });
      expect(seen).toEqual([{ client: 'cli' }]);
    });

    it.each([
      ['longer than 1024 characters', 'a'.repeat(1025)],
      ['with a character outside printable ASCII', 'acme\u00e9'],
      ['blank', '   '],
    ])('skips a value %s', async (_why, value) => {
      const before = logFieldStats().dropped.invalidHeaderValue;
      await new Promise<void>((resolve, reject) => {
        const req = http.request(base, { headers: { 'x-tenant-id': value } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end();
      });
      expect(seen).toEqual([{}]);
      // A blank header is no value at all; the others are skipped and counted.
      const counted = value.trim() === '' ? 0 : 1;
      expect(logFieldStats().dropped.invalidHeaderValue).toBe(before + counted);
    });
  });

  it('works with traceMiddleware (Express)', async () => {
    const app = express();
    app.use(traceMiddleware(OPTIONS));
    app.get('/', (_req, res) => void res.json(getLogFields()));
    const server = http.createServer(app);
    const base = await listen(server);
    try {
      const answer = await fetch(base, { headers: { 'x-tenant-id': 'acme' } });
      expect(await answer.json()).toEqual({ tenant: 'acme' });
    } finally {
      await close(server);
    }
  });

  it('works with fastifyTracePlugin', async () => {
    const app = Fastify();
    await app.register(fastifyTracePlugin, OPTIONS);
    app.get('/', (_request, reply) => reply.send(getLogFields()));
    // A real socket: light-my-request's inject cannot load under Jest's CommonJS run.
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const answer = await fetch(base, { headers: { 'x-tenant-id': 'acme' } });
      expect(await answer.json()).toEqual({ tenant: 'acme' });
    } finally {
      await app.close();
    }
  });

  it.each<[string, unknown]>([
    ['not an object', ['x-tenant-id']],
    ['a header name that is not a token', { 'x tenant': 'tenant' }],
    ['a field name that is not a string', { 'x-tenant-id': 1 }],
    ['an empty field name', { 'x-tenant-id': '' }],
    ['a reserved field name', { 'x-level': 'level' }],
    ['a trace field name', { 'x-trace': 'trace_id' }],
  ])('throws InvalidOptionError at creation for %s', (_why, logFieldHeaders) => {
    const options = { logFieldHeaders } as never;
    expect(() => traceRequests(() => undefined, options)).toThrow(InvalidOptionError);
    expect(() => traceMiddleware(options)).toThrow(InvalidOptionError);
  });
});
