import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { setupPropagation, traceRequests, tracedFetch } from 'tracelink/propagation';
import { startCaptureServer } from './http-client/capture-server';
import type { CaptureServer } from './http-client/capture-server';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER = `00-${TRACE_ID}-00f067aa0ba902b7`;

interface Answer {
  /** The headers the downstream service got from the outgoing call made while serving. */
  downstream: IncomingHttpHeaders;
  traceresponse: string | undefined;
}

// A service traced by the OpenTelemetry SDK: traceRequests makes the SERVER span, tracedFetch
// a CLIENT span and the call downstream. The W3C propagator is tracelink's own, or
// OpenTelemetry's as NodeTracerProvider.register() (and the README's SDK setup) installs it,
// which setupPropagation() then wraps: every rule must hold for both.
describe.each<[string, (provider: NodeTracerProvider) => void, string]>([
  ['tracelink’s own propagator', (p) => p.register({ propagator: null }), 'installed'],
  [
    'OpenTelemetry’s propagator, registered by NodeTracerProvider.register()',
    (p) => p.register(),
    'wrapped-existing',
  ],
])('an SDK-traced service with %s', (_, register, outcome) => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let downstream: CaptureServer;
  let service: http.Server;
  let serviceUrl: string;

  let setup: string | undefined;
  beforeAll(async () => {
    register(provider);
    setup = setupPropagation().propagator;
    downstream = await startCaptureServer();
    service = http.createServer(
      traceRequests(
        async (_req, res) => {
          await (await tracedFetch(downstream.url)).text();
          res.end('ok');
        },
        { traceResponse: true },
      ),
    );
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    service.closeAllConnections();
    await new Promise<void>((resolve) => service.close(() => resolve()));
    await downstream.close();
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  function call(headers: http.OutgoingHttpHeaders): Promise<Answer> {
    const before = downstream.received.length;
    return new Promise((resolve, reject) => {
      http
        .get(serviceUrl, { headers }, (res) => {
          res.resume().on('end', () =>
            resolve({
              downstream: downstream.received[before] ?? {},
              traceresponse: res.headers.traceresponse as string | undefined,
            }),
          );
        })
        .on('error', reject);
    });
  }

  const lastClientSpanId = () =>
    exporter
      .getFinishedSpans()
      .filter((span) => span.kind === SpanKind.CLIENT)
      .at(-1)
      ?.spanContext().spanId;

  it(`is what setupPropagation() reports: ${outcome}`, () => {
    expect(setup).toBe(outcome);
  });

  describe('the random-trace-id flag (Level 2 §3.2.2.5.2)', () => {
    it.each([
      ['03', '03'],
      ['02', '02'],
      ['01', '01'],
      ['00', '00'],
    ])('incoming flags %s go downstream as %s, from the CLIENT span', async (flags, sent) => {
      const { downstream: headers, traceresponse } = await call({
        traceparent: `${CALLER}-${flags}`,
      });
      const [, traceId, parentId, written] = String(headers.traceparent).split('-');
      expect([traceId, written]).toEqual([TRACE_ID, sent]);
      if (flags.endsWith('1') || flags.endsWith('3')) expect(parentId).toBe(lastClientSpanId());
      expect(traceresponse?.slice(-2)).toBe(sent);
    });
  });

  describe('traceparent and tracestate', () => {
    it('restarts the trace for a duplicated traceparent (test_traceparent_duplicated)', async () => {
      const { downstream: headers } = await call({
        traceparent: [`${CALLER}-01`, `${CALLER}-01`],
      });
      expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(headers.traceparent).not.toContain(TRACE_ID);
    });

    it.each([
      ['33 members', Array.from({ length: 33 }, (_, i) => `k${i}=${i}`).join(',')],
      ['an invalid member', 'foo=1,BAR=2'],
      ['a repeated key', 'foo=1,foo=2'],
      ['empty members only', ' , '],
    ])('discards a tracestate of %s, forwarding none', async (_, tracestate) => {
      const { downstream: headers } = await call({ traceparent: `${CALLER}-01`, tracestate });
      expect(String(headers.traceparent)).toContain(TRACE_ID);
      expect(headers.tracestate).toBeUndefined();
    });

    it('forwards a valid tracestate with a digit-first key (Level 2 grammar)', async () => {
      const { downstream: headers } = await call({
        traceparent: `${CALLER}-01`,
        tracestate: '1vendor=a,rojo=00f067aa0ba902b7',
      });
      expect(headers.tracestate).toBe('1vendor=a,rojo=00f067aa0ba902b7');
    });
  });
});
