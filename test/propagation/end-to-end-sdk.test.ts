import { SpanKind } from '@opentelemetry/api';
import { EXAMPLE_TRACEPARENT, finishedSpans, useW3CPropagators } from '../helpers/http-server';
import { useTracing } from '../helpers/tracing';
import { runFlow } from './end-to-end-flow';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('a request through traceRequests, pino, winston and tracedFetch (with the SDK)', () => {
  const tracing = useTracing();
  beforeAll(useW3CPropagators);

  it('logs the SERVER span’s ids, a child of the caller, and passes its CLIENT span downstream', async () => {
    const { pinoLines, winstonLines, downstreamHeaders } = await runFlow({
      traceparent: EXAMPLE_TRACEPARENT,
      baggage: 'tenant=acme',
    });
    const spans = await finishedSpans(tracing.exporter);
    const server = spans.find((span) => span.kind === SpanKind.SERVER);
    const client = spans.find((span) => span.kind === SpanKind.CLIENT);
    expect(server?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    const spanId = server?.spanContext().spanId;
    expect(pinoLines[0]).toMatchObject({ trace_id: TRACE_ID, span_id: spanId, tenant: 'acme' });
    expect(winstonLines[0]).toMatchObject({ trace_id: TRACE_ID, span_id: spanId });
    expect(client?.parentSpanContext?.spanId).toBe(spanId);
    expect(downstreamHeaders.traceparent).toBe(
      `00-${TRACE_ID}-${String(client?.spanContext().spanId)}-01`,
    );
    expect(downstreamHeaders.baggage).toBe('tenant=acme');
  });
});
