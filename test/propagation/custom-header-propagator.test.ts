import { ROOT_CONTEXT, context, diag, propagation, trace } from '@opentelemetry/api';
import type { TextMapPropagator } from '@opentelemetry/api';
import { InvalidOptionError } from 'tracelink';
import {
  createPropagator,
  customHeaderPropagator,
  registerPropagator,
  setupPropagation,
} from 'tracelink/propagation';
import { headerGetter } from '../../src/propagation/carriers';
import { runFlow } from './end-to-end-flow';
import { warningsLogger } from '../helpers/diag-warnings';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

const warnings: string[] = [];
const logger = warningsLogger(warnings);

beforeAll(() => {
  diag.setLogger(logger);
  registerPropagator(
    'legacy',
    customHeaderPropagator({
      traceIdHeader: 'X-Trace-ID',
      spanIdHeader: 'X-Span-ID',
      sampledHeader: 'X-Sampled',
    }),
  );
  setupPropagation({ env: { OTEL_PROPAGATORS: 'tracecontext,baggage,legacy' } });
});
afterAll(() => {
  propagation.disable();
  context.disable();
  diag.disable();
});

describe('customHeaderPropagator, registered by name for OTEL_PROPAGATORS', () => {
  it('continues a legacy caller’s trace in the logs and passes it on in both formats', async () => {
    const { pinoLines, downstreamHeaders } = await runFlow({
      'X-Trace-ID': TRACE_ID,
      'X-Span-ID': SPAN_ID,
      'X-Sampled': '1',
    });
    const spanId = String(pinoLines[0]?.span_id);
    expect(pinoLines[0]).toMatchObject({ trace_id: TRACE_ID, trace_flags: '01' });
    expect(spanId).not.toBe(SPAN_ID);
    // The outgoing call's own span id, fresh (one parent-id per call), in both formats.
    const outgoing = String(downstreamHeaders['x-span-id']);
    expect(outgoing).toMatch(/^[0-9a-f]{16}$/);
    expect([SPAN_ID, spanId]).not.toContain(outgoing);
    expect(downstreamHeaders).toMatchObject({
      'x-trace-id': TRACE_ID,
      'x-sampled': '1',
      traceparent: `00-${TRACE_ID}-${outgoing}-01`,
    });
  });

  it.each<[string, Record<string, string>, string, string]>([
    ['a UUID trace id', { 'x-trace-id': '4BF92F35-77B3-4DA6-A3CE-929D0E0E4736' }, TRACE_ID, '01'],
    [
      'a 64-bit trace id',
      { 'x-trace-id': 'a3ce929d0e0e4736' },
      `${'0'.repeat(16)}a3ce929d0e0e4736`,
      '01',
    ],
    ['an unsampled decision', { 'x-trace-id': TRACE_ID, 'x-sampled': 'false' }, TRACE_ID, '00'],
  ])('reads %s', async (_, headers, traceId, flags) => {
    const { pinoLines } = await runFlow(headers);
    expect(pinoLines[0]).toMatchObject({ trace_id: traceId, trace_flags: flags });
  });

  it.each<[string, Record<string, string>]>([
    ['a trace id that is not hex', { 'x-trace-id': 'order-12345' }],
    ['an all-zero trace id', { 'x-trace-id': '0'.repeat(32) }],
    ['a span id that is not 16 hex digits', { 'x-trace-id': TRACE_ID, 'x-span-id': 'abc' }],
  ])('ignores %s: the trace starts here', async (_, headers) => {
    const { pinoLines } = await runFlow(headers);
    expect(pinoLines[0]?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(pinoLines[0]?.trace_id).not.toBe(TRACE_ID);
    expect(warnings).toContainEqual(expect.stringContaining('custom headers'));
  });

  it('extracts with exact-case carriers too (header names are lower-cased)', () => {
    const ctx = createPropagator(['legacy']).extract(
      ROOT_CONTEXT,
      { 'x-trace-id': TRACE_ID, 'x-span-id': SPAN_ID },
      headerGetter,
    );
    expect(trace.getSpanContext(ctx)).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID });
  });
});

describe('customHeaderPropagator options', () => {
  it.each<[string, unknown]>([
    ['no traceIdHeader', {}],
    ['a header name with a space', { traceIdHeader: 'x trace id' }],
    ['an unknown option', { traceIdHeader: 'x-trace-id', spanHeader: 'x-span-id' }],
    ['the same header twice', { traceIdHeader: 'x-id', spanIdHeader: 'X-Id' }],
    ['a sampled that is not a boolean', { traceIdHeader: 'x-trace-id', sampled: 'yes' }],
    ['null', null],
  ])('rejects %s', (_, options) => {
    expect(() => customHeaderPropagator(options as never)).toThrow(InvalidOptionError);
  });
});

describe('registerPropagator', () => {
  const propagator: TextMapPropagator = customHeaderPropagator({ traceIdHeader: 'x-trace-id' });

  it.each(['tracecontext', 'xray', 'none', 'Legacy', 'a,b', ''])('rejects the name %j', (name) => {
    expect(() => registerPropagator(name, propagator)).toThrow(InvalidOptionError);
  });

  it('rejects what is not a propagator', () => {
    expect(() => registerPropagator('other', {} as never)).toThrow(InvalidOptionError);
  });

  it('makes createPropagator reject a name nobody registered', () => {
    expect(() => createPropagator(['unregistered'])).toThrow(InvalidOptionError);
  });
});
