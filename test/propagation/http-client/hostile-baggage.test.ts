import http from 'node:http';
import { connect } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import {
  instrumentOutgoingHttp,
  traceRequests,
  tracedFetch,
  tracedRequest,
  withConsumerSpan,
  withTraceHeaders,
} from 'tracelink/propagation';
import { close, listen } from '../../helpers/http-server';
import { createPropagator } from 'tracelink/propagation';
import { context, propagation, trace } from '@opentelemetry/api';
import { EXAMPLE_SPAN_CONTEXT } from '../../helpers/tracing';
import {
  exchange,
  useCaptureServer,
  useDiagWarnings,
  useW3CPropagation,
  withPropagator,
} from './capture-server';

useW3CPropagation();
const warnings = useDiagWarnings();
const server = useCaptureServer();

// Baggage a sender controls: members whose metadata (after `;`) no header may carry.
const HOSTILE: readonly [string, string][] = [
  ['a CR LF and a header after it', 'k=v;p\r\nX: 1,tenant=acme'],
  ['a NUL', 'k=v;p\u0000,tenant=acme'],
  ['an emoji', 'k=v;p=\u{1F600},tenant=acme'],
];

// The outgoing calls of one consumer span, each as a user writes it.
const CALLS: readonly [string, () => Promise<void>][] = [
  ['tracedFetch', () => tracedFetch(server.url).then((res) => void res.body?.cancel())],
  [
    'fetch(withTraceHeaders())',
    () =>
      fetch(server.url, withTraceHeaders<RequestInit>({})).then((res) => void res.body?.cancel()),
  ],
  [
    'tracedRequest(http.request)',
    () => exchange((done) => tracedRequest(http.request)(server.url, done)),
  ],
  [
    'http.get under instrumentOutgoingHttp()',
    async () => {
      const outgoing = instrumentOutgoingHttp();
      try {
        await new Promise<void>((resolve, reject) => {
          http.get(server.url, (res) => res.resume().on('end', resolve)).on('error', reject);
        });
      } finally {
        outgoing.uninstall();
      }
    },
  ],
];

const CASES = HOSTILE.flatMap(([what, baggage]) =>
  CALLS.map(([call, send]) => [what, call, baggage, send] as const),
);

describe('hostile baggage metadata', () => {
  describe('received with a message, re-injected into an outgoing call', () => {
    it.each(CASES)(
      'with %s: %s sends the request, the member without its metadata',
      async (_, _call, baggage, send) => {
        const before = server.received.length;
        await withConsumerSpan({ system: 'kafka', destination: 'orders' }, { baggage }, send);
        expect(server.received.length).toBe(before + 1);
        const headers = server.last();
        expect(headers.baggage).toBe('k=v,tenant=acme');
        expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-03$/);
        expect(warnings).toContainEqual(expect.stringContaining('injecting baggage'));
      },
    );
  });

  describe('received with a request, re-injected by its handler', () => {
    let service: http.Server;
    let serviceUrl: URL;
    let downstream: IncomingHttpHeaders = {};
    beforeAll(async () => {
      service = http.createServer(
        traceRequests(async (_req, res) => {
          const answer = await tracedFetch(server.url);
          await answer.text();
          downstream = server.last();
          res.end('ok');
        }),
      );
      serviceUrl = new URL(await listen(service));
    });
    afterAll(() => close(service));

    // Sent over a raw socket: Node's own client refuses these bytes in a header.
    function sendRaw(baggage: Buffer): Promise<string> {
      return new Promise((resolve, reject) => {
        const socket = connect(Number(serviceUrl.port), '127.0.0.1');
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
        socket.write(
          Buffer.concat([
            Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nbaggage: '),
            baggage,
            Buffer.from('\r\n\r\n'),
          ]),
        );
      });
    }

    it('answers, and sends the downstream call without the metadata', async () => {
      downstream = {};
      const answer = await sendRaw(Buffer.from('k=v;p=\u{1F600},tenant=acme', 'utf8'));
      expect(answer).toMatch(/^HTTP\/1\.1 200 /);
      expect(downstream.baggage).toBe('k=v,tenant=acme');
    });
  });
});

describe('a header no request may carry', () => {
  it('is left out, the others sent: Jaeger names a header after a baggage key', async () => {
    const baggage = propagation.createBaggage({
      'a\r\nb': { value: '1' },
      tenant: { value: 'acme' },
    });
    const ctx = propagation.setBaggage(context.active(), baggage);
    await withPropagator(createPropagator(['jaeger']), () =>
      context.with(ctx, () => tracedFetch(server.url).then((res) => res.text())),
    );
    expect(server.last()['uberctx-tenant']).toBe('acme');
    expect(warnings).toContainEqual(expect.stringContaining('injecting into an outgoing request'));
  });
});

describe('baggage that is not well-formed UTF-16', () => {
  it('goes out without that member, with the trace context', async () => {
    const baggage = propagation.createBaggage({
      broken: { value: 'a\uD800b' },
      tenant: { value: 'acme' },
    });
    const ctx = propagation.setBaggage(
      trace.setSpanContext(context.active(), EXAMPLE_SPAN_CONTEXT),
      baggage,
    );
    await context.with(ctx, () => tracedFetch(server.url).then((res) => res.text()));
    const sent = server.last();
    expect(sent.baggage).toBe('tenant=acme');
    // The trace context, under the call's own fresh span id (one parent-id per call).
    expect(sent.traceparent).toMatch(
      new RegExp(`^00-${EXAMPLE_SPAN_CONTEXT.traceId}-[0-9a-f]{16}-01$`),
    );
  });
});
