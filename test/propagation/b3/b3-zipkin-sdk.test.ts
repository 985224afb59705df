import { SpanKind, propagation } from '@opentelemetry/api';
import { setupPropagation } from 'tracelink/propagation';
import { finishedSpans } from '../../helpers/http-server';
import { useTracing } from '../../helpers/tracing';
import { runFlow } from '../end-to-end-flow';

const tracing = useTracing();
beforeAll(() => {
  // useTracing installed a baggage-only propagator: replace it.
  propagation.disable();
  setupPropagation({ propagators: ['b3'] });
});

describe('a Brave caller’s B3 header, with the SDK', () => {
  it('makes a SERVER span that is a child of the caller’s span, not a join', async () => {
    const { pinoLines } = await runFlow({ b3: 'a3ce929d0e0e4736-00f067aa0ba902b7-1' });
    const server = (await finishedSpans(tracing.exporter)).find(
      (span) => span.kind === SpanKind.SERVER,
    );
    expect(server?.spanContext().traceId).toBe('0000000000000000a3ce929d0e0e4736');
    expect(server?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(server?.spanContext().spanId).not.toBe('00f067aa0ba902b7');
    expect(pinoLines[0]).toMatchObject({
      trace_id: '0000000000000000a3ce929d0e0e4736',
      span_id: server?.spanContext().spanId,
    });
  });
});
