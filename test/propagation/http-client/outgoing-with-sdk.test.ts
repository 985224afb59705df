import http from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Agent, request } from 'undici';
import { createPropagator } from '../../../src/propagation/create-propagator';
import { tracedFetch, withTraceHeaders } from '../../../src/propagation/http-client/fetch';
import {
  instrumentOutgoingHttp,
  tracedRequest,
} from '../../../src/propagation/http-client/node-http';
import { traceContextInterceptor } from '../../../src/propagation/http-client/undici-interceptor';
import { useTracing } from '../../helpers/tracing';
import { startCaptureServer } from './capture-server';
import type { CaptureServer } from './capture-server';

const tracing = useTracing();
// useTracing installs the baggage propagator only; outgoing calls need tracecontext too.
propagation.disable();
propagation.setGlobalPropagator(createPropagator(['tracecontext', 'baggage']));

let server: CaptureServer;
let agent: Agent;
beforeAll(async () => {
  server = await startCaptureServer();
  agent = new Agent();
});
afterAll(async () => {
  await agent.close();
  await server.close();
});

type Send = (url: string) => Promise<number>;

function nodeSend(
  send: (url: string, done: (res: http.IncomingMessage) => void) => http.ClientRequest,
): Send {
  return (url) =>
    new Promise<number>((resolve, reject) => {
      const req = send(url, (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0)));
      req.on('error', reject);
    });
}

const clients: [string, Send][] = [
  [
    'tracedFetch',
    async (url) => {
      const res = await tracedFetch(url);
      await res.text();
      return res.status;
    },
  ],
  [
    'fetch with withTraceHeaders',
    async (url) => {
      const res = await fetch(url, withTraceHeaders<RequestInit>({}));
      await res.text();
      return res.status;
    },
  ],
  [
    'the undici interceptor',
    async (url) => {
      const res = await request(url, { dispatcher: agent.compose(traceContextInterceptor()) });
      await res.body.text();
      return res.statusCode;
    },
  ],
  [
    'tracedRequest(http.request)',
    nodeSend((url, done) => {
      const req = tracedRequest(http.request)(url, done);
      req.end();
      return req;
    }),
  ],
  ['tracedRequest(http.get)', nodeSend((url, done) => tracedRequest(http.get)(url, done))],
  [
    'instrumentOutgoingHttp and http.get',
    nodeSend((url, done) => {
      const outgoing = instrumentOutgoingHttp();
      try {
        return http.get(url, done);
      } finally {
        outgoing.uninstall();
      }
    }),
  ],
];

const clientSpans = (spans: ReadableSpan[]) => spans.filter((s) => s.kind === SpanKind.CLIENT);

async function finished(count: number, from: number): Promise<ReadableSpan[]> {
  for (let i = 0; i < 200; i++) {
    const spans = clientSpans(tracing.exporter.getFinishedSpans().slice(from));
    if (spans.length >= count) return spans;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return clientSpans(tracing.exporter.getFinishedSpans().slice(from));
}

describe('outgoing requests with a tracing SDK', () => {
  describe.each(clients)('%s', (_, send) => {
    it('gives each of three requests a CLIENT span of its own, whose id is the parent-id sent', async () => {
      const parent = tracing.tracer.startSpan('handling one request', { kind: SpanKind.SERVER });
      const baggage = propagation.createBaggage({ tenant: { value: 'acme' } });
      const ctx = propagation.setBaggage(trace.setSpan(context.active(), parent), baggage);
      const before = tracing.exporter.getFinishedSpans().length;
      const receivedBefore = server.received.length;
      await context.with(ctx, async () => {
        for (let i = 0; i < 3; i++) await send(`${server.url}/items/${i}?sig=secret&page=2`);
      });
      parent.end();
      const spans = await finished(3, before);
      expect(spans).toHaveLength(3);
      const { traceId, spanId } = parent.spanContext();
      const sent = server.received.slice(receivedBefore).map((h) => h.traceparent);
      expect(sent).toEqual(spans.map((span) => `00-${traceId}-${span.spanContext().spanId}-01`));
      expect(new Set(sent).size).toBe(3);
      for (const span of spans) expect(span.parentSpanContext?.spanId).toBe(spanId);
      expect(server.last().baggage).toBe('tenant=acme');
    });

    it('names and describes the CLIENT span by the stable HTTP semantic conventions', async () => {
      const before = tracing.exporter.getFinishedSpans().length;
      await tracing.tracer.startActiveSpan('work', async (work) => {
        await send(`${server.url}/users/7?sig=secret&page=2`);
        work.end();
      });
      const [span] = await finished(1, before);
      expect(span?.name).toBe('GET');
      expect(span?.attributes).toEqual({
        'http.request.method': 'GET',
        'server.address': '127.0.0.1',
        'server.port': server.port,
        'url.full': `${server.url}/users/7?sig=REDACTED&page=2`,
        'http.response.status_code': 200,
      });
      expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    });

    it('sends no traceparent and makes no span without an active span', async () => {
      const before = tracing.exporter.getFinishedSpans().length;
      await send(server.url);
      expect(server.last().traceparent).toBeUndefined();
      expect(server.last().baggage).toBeUndefined();
      expect(tracing.exporter.getFinishedSpans().slice(before)).toEqual([]);
    });
  });
});

describe('the CLIENT span’s end and outcome', () => {
  let slow: http.Server;
  let slowUrl: string;
  let release: () => void = () => undefined;
  beforeAll(async () => {
    slow = createServer((req, res) => {
      if (req.url === '/fail') {
        res.statusCode = 503;
        res.end('unavailable');
        return;
      }
      // Headers and a first chunk now, the end when the test says so.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first ');
      release = () => res.end('last');
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    slow.closeAllConnections();
    await new Promise<void>((resolve) => slow.close(() => resolve()));
  });

  it.each<[string, (url: string) => Promise<() => Promise<string>>]>([
    [
      'tracedFetch',
      async (url) => {
        const res = await tracedFetch(url);
        return () => res.text();
      },
    ],
    [
      'tracedRequest(http.get)',
      (url) =>
        new Promise((resolve, reject) => {
          tracedRequest(http.get)(url, (res) => {
            let body = '';
            res.setEncoding('utf8');
            const ended = new Promise<string>((done) => res.on('end', () => done(body)));
            res.on('data', (chunk: string) => (body += chunk));
            resolve(() => ended);
          }).on('error', reject);
        }),
    ],
  ])('%s: ends the span when the response ends, not when its headers arrive', async (_, start) => {
    const before = tracing.exporter.getFinishedSpans().length;
    await tracing.tracer.startActiveSpan('work', async (work) => {
      const readBody = await start(slowUrl);
      expect(clientSpans(tracing.exporter.getFinishedSpans().slice(before))).toEqual([]);
      release();
      expect(await readBody()).toBe('first last');
      work.end();
    });
    expect(await finished(1, before)).toHaveLength(1);
  });

  it.each(clients.slice(0, 1).concat(clients.slice(3, 4)))(
    '%s: a 503 is an error (status ERROR, error.type 503)',
    async (_, send) => {
      const before = tracing.exporter.getFinishedSpans().length;
      await tracing.tracer.startActiveSpan('work', async (work) => {
        expect(await send(`${slowUrl}/fail`)).toBe(503);
        work.end();
      });
      const [span] = await finished(1, before);
      expect(span?.attributes).toMatchObject({
        'http.response.status_code': 503,
        'error.type': '503',
      });
      expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    },
  );

  it.each(clients)(
    '%s: a refused connection ends the span with status ERROR and the error code',
    async (_, send) => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const before = tracing.exporter.getFinishedSpans().length;
      await tracing.tracer.startActiveSpan('work', async (work) => {
        await expect(send(`http://127.0.0.1:${port}/`)).rejects.toBeDefined();
        work.end();
      });
      const [span] = await finished(1, before);
      expect(span?.attributes['error.type']).toBe('ECONNREFUSED');
      expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    },
  );
});
