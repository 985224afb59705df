import http from 'node:http';
import { context, propagation, trace } from '@opentelemetry/api';
import { Agent, request } from 'undici';
import { createPropagator } from '../../../src/propagation/create-propagator';
import { tracedFetch } from '../../../src/propagation/http-client/fetch';
import { tracedRequest } from '../../../src/propagation/http-client/node-http';
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

const clients: [string, (url: string) => Promise<void>][] = [
  ['tracedFetch', async (url) => void (await (await tracedFetch(url)).text())],
  [
    'the undici interceptor',
    async (url) =>
      void (await (
        await request(url, { dispatcher: agent.compose(traceContextInterceptor()) })
      ).body.text()),
  ],
  [
    'tracedRequest(http.request)',
    (url) =>
      new Promise<void>((resolve, reject) => {
        tracedRequest(http.request)(url, (res) => res.resume().on('end', resolve))
          .on('error', reject)
          .end();
      }),
  ],
];

describe('outgoing requests with a tracing SDK', () => {
  it.each(clients)(
    '%s sends the active span as the downstream parent, with baggage',
    async (_, send) => {
      const span = tracing.tracer.startSpan('work');
      const baggage = propagation.createBaggage({ tenant: { value: 'acme' } });
      const ctx = propagation.setBaggage(trace.setSpan(context.active(), span), baggage);
      const spansBefore = tracing.exporter.getFinishedSpans().length;
      await context.with(ctx, () => send(server.url));
      span.end();
      const { traceId, spanId } = span.spanContext();
      expect(server.last().traceparent).toBe(`00-${traceId}-${spanId}-01`);
      expect(server.last().baggage).toBe('tenant=acme');
      // Injection only: no CLIENT span of tracelink's own (instrumentations make those).
      expect(
        tracing.exporter
          .getFinishedSpans()
          .slice(spansBefore)
          .map((s) => s.name),
      ).toEqual(['work']);
    },
  );

  it.each(clients)('%s sends no traceparent without an active span', async (_, send) => {
    await send(server.url);
    expect(server.last().traceparent).toBeUndefined();
    expect(server.last().baggage).toBeUndefined();
  });
});
