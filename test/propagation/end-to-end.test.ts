import { EXAMPLE_TRACEPARENT, useLightweightMode } from '../helpers/http-server';
import { runFlow } from './end-to-end-flow';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN_ID = '00f067aa0ba902b7';

// No tracer provider in this file: tracelink's lightweight mode.
describe('a request through traceRequests, pino, winston and tracedFetch (no SDK)', () => {
  useLightweightMode();

  it('logs the caller’s trace id with a child span id and passes both on downstream', async () => {
    const { pinoLines, winstonLines, downstreamHeaders } = await runFlow({
      traceparent: EXAMPLE_TRACEPARENT,
      tracestate: 'vendor=opaque',
      baggage: 'tenant=acme',
    });
    const [pinoLine] = pinoLines;
    const [winstonLine] = winstonLines;
    expect(pinoLine).toMatchObject({ trace_id: TRACE_ID, trace_flags: '01', tenant: 'acme' });
    expect(pinoLine?.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(pinoLine?.span_id).not.toBe(CALLER_SPAN_ID);
    // The same request span before and after the await.
    expect(winstonLine).toMatchObject({ trace_id: TRACE_ID, span_id: pinoLine?.span_id });
    expect(winstonLine?.tenant).toBe('acme');
    // Same trace and flags; the parent-id is this request's own (§3.2.2.4), not the span logged.
    const [, traceId, parentId, flags] = String(downstreamHeaders.traceparent).split('-');
    expect([traceId, flags]).toEqual([TRACE_ID, '01']);
    expect(parentId).toMatch(/^[0-9a-f]{16}$/);
    expect([pinoLine?.span_id, CALLER_SPAN_ID]).not.toContain(parentId);
    expect(downstreamHeaders.tracestate).toBe('vendor=opaque');
    expect(downstreamHeaders.baggage).toBe('tenant=acme');
  });

  it.each([
    ['no traceparent', {}],
    [
      'an invalid traceparent',
      { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' },
    ],
  ])('starts a new trace with %s, logged and passed on', async (_, headers) => {
    const { pinoLines, winstonLines, downstreamHeaders } = await runFlow(headers);
    const traceId = pinoLines[0]?.trace_id;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe('0'.repeat(32));
    expect(winstonLines[0]?.trace_id).toBe(traceId);
    // A trace tracelink started: sampled and random-trace-id (Level 2).
    expect(downstreamHeaders.traceparent).toMatch(
      new RegExp(`^00-${String(traceId)}-[0-9a-f]{16}-03$`),
    );
    expect(downstreamHeaders.traceparent).not.toContain(String(pinoLines[0]?.span_id));
  });
});
