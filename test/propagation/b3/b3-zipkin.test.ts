import { context, propagation } from '@opentelemetry/api';
import { setupPropagation } from 'tracelink/propagation';
import { runFlow } from '../end-to-end-flow';

// What docs/propagation.md ("B3: Zipkin, Brave and Spring Cloud Sleuth") promises a Zipkin
// user, in lightweight mode: a Brave caller's 64-bit ids, and the log fields they become.
beforeAll(() => setupPropagation({ propagators: ['tracecontext', 'baggage', 'b3', 'b3multi'] }));
afterAll(() => {
  propagation.disable();
  context.disable();
});

const BRAVE_TRACE_ID = 'a3ce929d0e0e4736';
const BRAVE_SPAN_ID = '00f067aa0ba902b7';
const PADDED = `0000000000000000${BRAVE_TRACE_ID}`;

describe('a Brave or Sleuth caller’s B3 headers', () => {
  it.each<[string, Record<string, string>]>([
    ['b3 (single header)', { b3: `${BRAVE_TRACE_ID}-${BRAVE_SPAN_ID}-1` }],
    [
      'X-B3-* (multi header, Sleuth’s default)',
      { 'X-B3-TraceId': BRAVE_TRACE_ID, 'X-B3-SpanId': BRAVE_SPAN_ID, 'X-B3-Sampled': '1' },
    ],
  ])('%s: the 64-bit trace id, left-padded, and a span of its own', async (_, headers) => {
    const { pinoLines, winstonLines, downstreamHeaders } = await runFlow(headers);
    const line = pinoLines[0] ?? {};
    // No join: the service's span is a child, never the caller's span id reused.
    expect(line).toEqual(
      expect.objectContaining({ trace_id: PADDED, trace_flags: '01' }) as unknown,
    );
    expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(line.span_id).not.toBe(BRAVE_SPAN_ID);
    expect(winstonLines[0]).toMatchObject({ trace_id: PADDED, span_id: line.span_id });
    // Passed on padded too; Brave reads a zero upper half as the same 64-bit id.
    // The outgoing call's own span id: fresh for each call (one parent-id per call).
    const spanId = String(downstreamHeaders['x-b3-spanid']);
    expect(spanId).toMatch(/^[0-9a-f]{16}$/);
    expect([BRAVE_SPAN_ID, line.span_id]).not.toContain(spanId);
    expect(downstreamHeaders).toMatchObject({
      b3: `${PADDED}-${spanId}-1`,
      'x-b3-traceid': PADDED,
      'x-b3-sampled': '1',
      traceparent: `00-${PADDED}-${spanId}-01`,
    });
    // The correlation rule of the docs: a 16-digit Brave id is the last 16 digits.
    expect(String(line.trace_id).slice(16)).toBe(BRAVE_TRACE_ID);
  });
});
