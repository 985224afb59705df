import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { InvalidOptionError } from 'tracelink';
import { readRequestId } from '../../../src/core/context-values.js';
import { pinoMixin } from 'tracelink/pino';
import { fastifyTracePlugin } from 'tracelink/propagation';
import { CaptureStream } from '../../helpers/capture-stream.js';
import {
  EXAMPLE_TRACEPARENT,
  finishedSpans,
  useW3CPropagators,
} from '../../helpers/http-server.js';
import { EXAMPLE_SPAN_CONTEXT, useTracing } from '../../helpers/tracing.js';

const tracing = useTracing();
useW3CPropagators();

const lines = new CaptureStream();
const logger = pino({ mixin: pinoMixin({ requestId: true }) }, lines);
let seen: { before?: SpanContext; after?: SpanContext; body?: SpanContext; requestId?: string } =
  {};
const active = () => trace.getSpanContext(context.active());

let app: FastifyInstance;
let base = '';

beforeAll(async () => {
  app = Fastify();
  await app.register(fastifyTracePlugin, { traceResponse: true });
  // Registered in an encapsulated child: the plugin still applies (skip-override).
  await app.register((child, _options, done) => {
    child.get('/users/:id', async () => {
      seen.before = active();
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.after = active();
      seen.requestId = readRequestId();
      logger.info('after await');
      return { ok: true };
    });
    done();
  });
  app.post('/items', (request, reply) => {
    seen.body = active();
    reply.send(request.body);
  });
  app.get('/fail', () => Promise.reject(new Error('handler failed')));
  app.get('/bad', (_request, reply) => {
    reply.code(400).send('bad');
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => app.close());
beforeEach(() => {
  tracing.exporter.reset();
  seen = {};
  lines.lines.length = 0;
});

describe('fastifyTracePlugin', () => {
  describe('in Fastify 5 with a tracing SDK', () => {
    it('runs the route handler, and the code after its awaits, in the server span', async () => {
      await fetch(`${base}/users/7`, {
        headers: { traceparent: EXAMPLE_TRACEPARENT, 'x-request-id': 'f-1' },
      });
      const [span] = await finishedSpans(tracing.exporter);
      expect(span?.name).toBe('GET /users/:id');
      expect(span?.kind).toBe(SpanKind.SERVER);
      expect(span?.attributes[ATTR_HTTP_ROUTE]).toBe('/users/:id');
      expect(span?.parentSpanContext?.spanId).toBe(EXAMPLE_SPAN_CONTEXT.spanId);
      expect(seen.before?.spanId).toBe(span?.spanContext().spanId);
      expect(seen.after?.spanId).toBe(span?.spanContext().spanId);
      expect(seen.requestId).toBe('f-1');
      expect(lines.lines[0]).toMatchObject({
        trace_id: EXAMPLE_SPAN_CONTEXT.traceId,
        span_id: span?.spanContext().spanId,
        request_id: 'f-1',
      });
    });

    it('runs a handler whose body was read from the socket in the server span', async () => {
      const response = await fetch(`${base}/items`, {
        method: 'POST',
        headers: { traceparent: EXAMPLE_TRACEPARENT, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x'.repeat(100_000) }),
      });
      expect(response.status).toBe(200);
      const [span] = await finishedSpans(tracing.exporter);
      expect(seen.body?.spanId).toBe(span?.spanContext().spanId);
      expect(span?.name).toBe('POST /items');
    });

    it.each([
      ['/fail', 500, SpanStatusCode.ERROR, 'Error', 1],
      ['/bad', 400, SpanStatusCode.UNSET, undefined, 0],
    ])('%s: status %i gives span status %i', async (path, status, code, errorType, events) => {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(status);
      const [span] = await finishedSpans(tracing.exporter);
      expect(span?.status.code).toBe(code);
      expect(span?.attributes[ATTR_ERROR_TYPE]).toBe(errorType);
      expect(span?.events).toHaveLength(events);
    });

    it('names a 404 by its method alone', async () => {
      await fetch(`${base}/nowhere`);
      const [span] = await finishedSpans(tracing.exporter);
      expect(span?.name).toBe('GET');
      expect(span?.attributes[ATTR_HTTP_ROUTE]).toBeUndefined();
    });

    it('answers with traceresponse', async () => {
      const response = await fetch(`${base}/users/1`, {
        headers: { traceparent: EXAMPLE_TRACEPARENT },
      });
      const [span] = await finishedSpans(tracing.exporter);
      expect(response.headers.get('traceresponse')).toBe(
        `00-${EXAMPLE_SPAN_CONTEXT.traceId}-${span?.spanContext().spanId}-01`,
      );
    });
  });

  describe('options', () => {
    it('fails app.ready() with InvalidOptionError for an invalid option', async () => {
      const bad = Fastify();
      await expect(
        bad.register(fastifyTracePlugin, { requestIdHeaders: 'x-request-id' as never }),
      ).rejects.toThrow(InvalidOptionError);
      await bad.close().catch(() => undefined);
    });
  });
});
