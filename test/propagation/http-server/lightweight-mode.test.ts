import http from 'node:http';
import type { Server } from 'node:http';
import { TraceFlags, context, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import express from 'express';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { readRequestId } from '../../../src/core/context-values.js';
import { pinoMixin } from 'tracelink/pino';
import { fastifyTracePlugin, traceMiddleware, traceRequests } from 'tracelink/propagation';
import { traceJson } from 'tracelink/winston';
import { CaptureStream } from '../../helpers/capture-stream.js';
import {
  EXAMPLE_TRACEPARENT,
  close,
  listen,
  useLightweightMode,
} from '../../helpers/http-server.js';
import { EXAMPLE_SPAN_CONTEXT } from '../../helpers/tracing.js';
import { captureWinston } from '../../helpers/winston-capture.js';

// No tracer provider is registered in this file: lightweight mode.
useLightweightMode();

const pinoLines = new CaptureStream();
const pinoLogger = pino({ mixin: pinoMixin({ fields: 'camel', requestId: true }) }, pinoLines);
const winstonLog = captureWinston(traceJson({ fields: 'ecs', requestId: true }));
let seen: { spanContext?: SpanContext; afterAwait?: SpanContext; requestId?: string } = {};
const active = () => trace.getSpanContext(context.active());

async function handle(): Promise<void> {
  seen.spanContext = active();
  seen.requestId = readRequestId();
  pinoLogger.info('handling');
  winstonLog.logger.info('handling');
  await new Promise((resolve) => setTimeout(resolve, 2));
  seen.afterAwait = active();
}

let plain: Server;
let unsampled: Server;
let expressServer: Server;
let fastify: FastifyInstance;
const urls: Record<string, string> = {};

beforeAll(async () => {
  plain = http.createServer(
    traceRequests(
      async (_req, res) => {
        await handle();
        res.end('ok');
      },
      { traceResponse: true },
    ),
  );
  unsampled = http.createServer(
    traceRequests((_req, res) => void handle().then(() => res.end()), { sampleNewTraces: false }),
  );
  const app = express();
  app.use(traceMiddleware());
  app.get('/', async (_req, res) => {
    await handle();
    res.send('ok');
  });
  expressServer = http.createServer(app);
  fastify = Fastify();
  await fastify.register(fastifyTracePlugin);
  fastify.get('/', async () => {
    await handle();
    return 'ok';
  });
  urls['node:http'] = await listen(plain);
  urls.unsampled = await listen(unsampled);
  urls.express = await listen(expressServer);
  urls.fastify = await fastify.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await close(plain);
  await close(unsampled);
  await close(expressServer);
  await fastify.close();
  await winstonLog.finish();
});
beforeEach(() => {
  seen = {};
  pinoLines.lines.length = 0;
  winstonLog.lines.length = 0;
});

describe('incoming HTTP without a tracing SDK (lightweight mode)', () => {
  describe.each(['node:http', 'express', 'fastify'])('%s', (server) => {
    it("continues the caller's trace with a fresh span id, through awaits", async () => {
      await fetch(urls[server], {
        headers: { traceparent: EXAMPLE_TRACEPARENT, 'x-correlation-id': 'c-7' },
      });
      const spanId = seen.spanContext?.spanId;
      expect(seen.spanContext?.traceId).toBe(EXAMPLE_SPAN_CONTEXT.traceId);
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(spanId).not.toBe(EXAMPLE_SPAN_CONTEXT.spanId);
      expect(seen.spanContext?.traceFlags).toBe(TraceFlags.SAMPLED);
      expect(seen.afterAwait).toBe(seen.spanContext);
      expect(seen.requestId).toBe('c-7');
      expect(pinoLines.lines[0]).toMatchObject({
        traceId: EXAMPLE_SPAN_CONTEXT.traceId,
        spanId,
        traceFlags: '01',
        requestId: 'c-7',
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(winstonLog.lines[0]).toMatchObject({
        'trace.id': EXAMPLE_SPAN_CONTEXT.traceId,
        'span.id': spanId,
        'http.request.id': 'c-7',
      });
    });

    it('starts a new sampled trace without a traceparent', async () => {
      await fetch(urls[server]);
      expect(seen.spanContext?.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(seen.spanContext?.traceId).not.toBe(EXAMPLE_SPAN_CONTEXT.traceId);
      // Sampled, and random-trace-id: tracelink made the id from a CSPRNG (Level 2 §3.2.2.5.2).
      expect(seen.spanContext?.traceFlags).toBe(TraceFlags.SAMPLED | 0x02);
    });
  });

  it('keeps the caller’s unsampled flag', async () => {
    await fetch(urls['node:http'], {
      headers: { traceparent: EXAMPLE_TRACEPARENT.replace(/01$/, '00') },
    });
    expect(seen.spanContext?.traceFlags).toBe(TraceFlags.NONE);
  });

  it('starts unsampled new traces with sampleNewTraces: false', async () => {
    await fetch(urls.unsampled);
    expect(seen.spanContext?.traceFlags).toBe(0x02);
  });

  it('names the lightweight span in traceresponse', async () => {
    const response = await fetch(urls['node:http'], {
      headers: { traceparent: EXAMPLE_TRACEPARENT },
    });
    expect(response.headers.get('traceresponse')).toBe(
      `00-${EXAMPLE_SPAN_CONTEXT.traceId}-${seen.spanContext?.spanId}-01`,
    );
  });
});
