import { context, propagation } from '@opentelemetry/api';
import { setupPropagation } from 'tracelink/propagation';
import { runFlow } from '../end-to-end-flow';

// No tracer provider: lightweight mode, with the X-Ray propagator from setupPropagation.
beforeAll(() => setupPropagation({ propagators: ['xray', 'baggage'] }));
afterAll(() => {
  propagation.disable();
  context.disable();
});

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const TRACE_ID = '5759e988bd862e3fe1be46a994272793';

describe('the xray propagator in lightweight mode', () => {
  describe('a load balancer’s header, Root without Parent', () => {
    it('logs the Root as trace_id, under a new span, and passes it on', async () => {
      const { pinoLines, winstonLines, downstreamHeaders } = await runFlow({
        'x-amzn-trace-id': `Root=${ROOT}`,
      });
      const spanId = pinoLines[0]?.span_id;
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      // Sampled: no decision came with the header, and xrayDefaultSampled is true by default.
      expect(pinoLines[0]).toMatchObject({ trace_id: TRACE_ID, trace_flags: '01' });
      expect(winstonLines[0]).toMatchObject({ trace_id: TRACE_ID, span_id: spanId });
      // Parent: the outgoing call's own span id, fresh for each request (one parent-id per call).
      expect(downstreamHeaders['x-amzn-trace-id']).toMatch(
        new RegExp(`^Root=${ROOT};Parent=[0-9a-f]{16};Sampled=1$`),
      );
    });

    it('keeps the X-Ray SDK’s unsampled decision (Sampled=0 without Parent)', async () => {
      const { pinoLines, downstreamHeaders } = await runFlow({
        'x-amzn-trace-id': `Root=${ROOT};Sampled=0`,
      });
      expect(pinoLines[0]).toMatchObject({ trace_id: TRACE_ID, trace_flags: '00' });
      expect(downstreamHeaders['x-amzn-trace-id']).toMatch(/;Sampled=0$/);
    });
  });

  describe('a trace started here', () => {
    it('goes out with a Root whose first 8 digits are the current epoch second', async () => {
      const before = Math.floor(Date.now() / 1000);
      const { pinoLines, downstreamHeaders } = await runFlow({});
      const after = Math.floor(Date.now() / 1000);
      const header = String(downstreamHeaders['x-amzn-trace-id']);
      const match = /^Root=1-([0-9a-f]{8})-([0-9a-f]{24});Parent=[0-9a-f]{16};Sampled=1$/.exec(
        header,
      );
      expect(match).not.toBeNull();
      const seconds = parseInt(match?.[1] ?? '', 16);
      expect(seconds).toBeGreaterThanOrEqual(before);
      expect(seconds).toBeLessThanOrEqual(after);
      expect(pinoLines[0]?.trace_id).toBe(`${match?.[1]}${match?.[2]}`);
    });
  });
});
