import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { setupPropagation } from 'tracelink/propagation';
import { finishedSpans } from '../../helpers/http-server';
import { runFlow } from '../end-to-end-flow';

// The SDK set up as docs/propagation.md shows for X-Ray: AWSXRayIdGenerator and `xray`.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({
  idGenerator: new AWSXRayIdGenerator(),
  sampler: new AlwaysOnSampler(),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});

beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
  setupPropagation({ propagators: ['xray', 'baggage'] });
});
afterEach(() => exporter.reset());
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
});

async function serverSpan() {
  const spans = await finishedSpans(exporter);
  const server = spans.find((span) => span.kind === SpanKind.SERVER);
  if (server === undefined) throw new Error('no SERVER span');
  return server;
}

describe('the xray propagator with the SDK', () => {
  it('puts the SERVER span of a load balancer’s request (Root alone) into its trace', async () => {
    const { pinoLines, downstreamHeaders } = await runFlow({
      'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793',
    });
    const server = await serverSpan();
    expect(server.spanContext().traceId).toBe('5759e988bd862e3fe1be46a994272793');
    // Its parent stands for the load balancer, which records no span.
    expect(server.parentSpanContext?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(server.parentSpanContext?.spanId).not.toBe(server.spanContext().spanId);
    expect(pinoLines[0]).toMatchObject({
      trace_id: '5759e988bd862e3fe1be46a994272793',
      span_id: server.spanContext().spanId,
    });
    expect(downstreamHeaders['x-amzn-trace-id']).toBe(
      `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${server.spanContext().spanId};Sampled=1`,
    );
  });

  it('starts new traces with time-prefixed ids through AWSXRayIdGenerator', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { downstreamHeaders } = await runFlow({});
    const after = Math.floor(Date.now() / 1000);
    const epoch = /^Root=1-([0-9a-f]{8})-/.exec(String(downstreamHeaders['x-amzn-trace-id']));
    const seconds = parseInt(epoch?.[1] ?? '', 16);
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(after);
  });
});
