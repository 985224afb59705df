import http from 'node:http';
import type { Server } from 'node:http';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import express from 'express';
import pino from 'pino';
import { readRequestId } from '../../../src/core/context-values.js';
import { pinoMixin } from 'tracelink/pino';
import { traceMiddleware } from 'tracelink/propagation';
import { CaptureStream } from '../../helpers/capture-stream.js';
import {
  EXAMPLE_TRACEPARENT,
  captureDiag,
  close,
  finishedSpans,
  listen,
  useW3CPropagators,
} from '../../helpers/http-server.js';
import { EXAMPLE_SPAN_CONTEXT, useTracing } from '../../helpers/tracing.js';

const tracing = useTracing();
useW3CPropagators();
const diagMessages = captureDiag();

const lines = new CaptureStream();
const logger = pino({ mixin: pinoMixin({ requestId: 'req' }) }, lines);
let seen: { before?: SpanContext; after?: SpanContext; requestId?: string } = {};
const active = () => trace.getSpanContext(context.active());

const app = express();
app.use(traceMiddleware({ traceResponse: true }));
const router = express.Router();
router.get('/users/:id', async (_req, res) => {
  seen.before = active();
  await new Promise((resolve) => setTimeout(resolve, 5));
  seen.after = active();
  seen.requestId = readRequestId();
  logger.info('after await');
  res.json({ ok: true });
});
router.get('/', (_req, res) => res.send('root'));
app.use('/api', router);
app.get('/fail', () => {
  throw new Error('handler failed');
});
app.get('/bad', (_req, res) => res.status(400).send('bad'));

let server: Server;
let base = '';
beforeAll(async () => {
  server = http.createServer(app);
  base = await listen(server);
});
afterAll(() => close(server));
beforeEach(() => {
  tracing.exporter.reset();
  seen = {};
  lines.lines.length = 0;
});

describe('traceMiddleware', () => {
  describe('in Express 5 with a tracing SDK', () => {
    it('runs route handlers, and the code after their awaits, in the server span', async () => {
      await fetch(`${base}/api/users/7`, {
        headers: { traceparent: EXAMPLE_TRACEPARENT, 'x-request-id': 'r-1' },
      });
      const [span] = await finishedSpans(tracing.exporter);
      expect(seen.before?.traceId).toBe(EXAMPLE_SPAN_CONTEXT.traceId);
      expect(seen.after?.spanId).toBe(span?.spanContext().spanId);
      expect(seen.requestId).toBe('r-1');
      expect(lines.lines[0]).toMatchObject({
        trace_id: EXAMPLE_SPAN_CONTEXT.traceId,
        span_id: span?.spanContext().spanId,
        req: 'r-1',
      });
    });

    it.each([
      ['/api/users/7', 'GET /api/users/:id'],
      ['/api', 'GET /api'],
      ['/nowhere', 'GET'],
    ])('names the span of %s after its route: %s', async (path, name) => {
      await fetch(`${base}${path}`, { headers: { traceparent: EXAMPLE_TRACEPARENT } });
      const [span] = await finishedSpans(tracing.exporter);
      expect(span?.name).toBe(name);
      expect(span?.kind).toBe(SpanKind.SERVER);
      expect(span?.parentSpanContext?.spanId).toBe(EXAMPLE_SPAN_CONTEXT.spanId);
      expect(span?.attributes[ATTR_HTTP_ROUTE]).toBe(name === 'GET' ? undefined : name.slice(4));
    });

    it.each([
      ['/fail', 500, SpanStatusCode.ERROR, '500'],
      ['/bad', 400, SpanStatusCode.UNSET, undefined],
    ])('%s: status %i gives span status %i', async (path, status, code, errorType) => {
      const response = await fetch(`${base}${path}`);
      expect(response.status).toBe(status);
      const [span] = await finishedSpans(tracing.exporter);
      expect(span?.status.code).toBe(code);
      expect(span?.attributes[ATTR_ERROR_TYPE]).toBe(errorType);
      expect(span?.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE]).toBe(status);
    });

    it('answers with traceresponse', async () => {
      const response = await fetch(`${base}/api`, {
        headers: { traceparent: EXAMPLE_TRACEPARENT },
      });
      const [span] = await finishedSpans(tracing.exporter);
      expect(response.headers.get('traceresponse')).toBe(
        `00-${EXAMPLE_SPAN_CONTEXT.traceId}-${span?.spanContext().spanId}-01`,
      );
    });
  });

  describe('when the response is already sent', () => {
    it('serves the request without traceresponse and reports through diag', async () => {
      const middleware = traceMiddleware({ traceResponse: true });
      const late = http.createServer((req, res) => {
        res.writeHead(200);
        res.flushHeaders();
        middleware(req, res, () => res.end('late'));
      });
      const url = await listen(late);
      const response = await fetch(url);
      expect(await response.text()).toBe('late');
      await close(late);
      expect(response.headers.has('traceresponse')).toBe(false);
      expect(diagMessages.some((m) => m.includes('setting traceresponse'))).toBe(true);
    });
  });
});
