import { ROOT_CONTEXT, propagation, trace, context } from '@opentelemetry/api';
import type { Context, SpanContext } from '@opentelemetry/api';
import { createPropagator } from '../../src/propagation/create-propagator';
import { EXAMPLE_SPAN_CONTEXT } from '../helpers/tracing';
import { setupPropagation } from 'tracelink/propagation';
import { InvalidOptionError } from 'tracelink';
import { headerGetter, headerSetter } from '../../src/propagation/carriers.js';
import type { PropagatorName } from 'tracelink/propagation';
import type { HeaderRecord } from '../../src/propagation/carriers.js';

describe('validOnly (through createPropagator)', () => {
  const jaeger = createPropagator(['jaeger']);

  it.each([':::', '::0:1', '0:0:0:1'])(
    'discards the all-zero ids Jaeger makes of uber-trace-id %j',
    (value) => {
      const extracted = jaeger.extract(ROOT_CONTEXT, { 'uber-trace-id': value }, headerGetter);
      expect(trace.getSpanContext(extracted)).toBeUndefined();
    },
  );

  it('restores the span the context had before an invalid extraction', () => {
    const before = trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT);
    const extracted = jaeger.extract(before, { 'uber-trace-id': ':::' }, headerGetter);
    expect(trace.getSpanContext(extracted)).toEqual(EXAMPLE_SPAN_CONTEXT);
  });

  it('keeps a valid extraction and the baggage extracted with an invalid one', () => {
    const valid = jaeger.extract(ROOT_CONTEXT, { 'uber-trace-id': 'abc:def:0:1' }, headerGetter);
    expect(trace.getSpanContext(valid)?.spanId).toBe('0000000000000def');
    const withBaggage = jaeger.extract(
      ROOT_CONTEXT,
      { 'uber-trace-id': ':::', 'uberctx-tenant': 'acme' },
      headerGetter,
    );
    expect(trace.getSpanContext(withBaggage)).toBeUndefined();
    expect(propagation.getBaggage(withBaggage)?.getEntry('tenant')?.value).toBe('acme');
  });
});

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const PADDED_64 = '0000000000000000a3ce929d0e0e4736';

function use(name: PropagatorName): void {
  setupPropagation({ propagators: [name] });
}

function extract(headers: HeaderRecord): Context {
  return propagation.extract(ROOT_CONTEXT, headers, headerGetter);
}

function spanContextOf(headers: HeaderRecord): Omit<SpanContext, 'isRemote'> | undefined {
  const sc = trace.getSpanContext(extract(headers));
  return sc && { traceId: sc.traceId, spanId: sc.spanId, traceFlags: sc.traceFlags };
}

function injectFrom(headers: HeaderRecord): HeaderRecord {
  const out: HeaderRecord = {};
  propagation.inject(extract(headers), out, headerSetter);
  return out;
}

afterEach(() => {
  propagation.disable();
  context.disable();
});

describe('createPropagator', () => {
  describe('b3 (single header)', () => {
    beforeEach(() => use('b3'));

    it.each<[string, string, Omit<SpanContext, 'isRemote'> | undefined]>([
      [
        'sampled',
        `${TRACE_ID}-${SPAN_ID}-1`,
        { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 },
      ],
      [
        'with a parent span id',
        `${TRACE_ID}-${SPAN_ID}-1-05e3ac9a4f6e3b90`,
        { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 },
      ],
      [
        'a 64-bit trace id, padded to 128',
        `a3ce929d0e0e4736-${SPAN_ID}-1`,
        { traceId: PADDED_64, spanId: SPAN_ID, traceFlags: 1 },
      ],
      [
        'debug (d), which implies sampled',
        `${TRACE_ID}-${SPAN_ID}-d`,
        { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 },
      ],
      [
        'deny (0)',
        `${TRACE_ID}-${SPAN_ID}-0`,
        { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 },
      ],
      ['deny alone, without ids', '0', undefined],
      ['an all-zero trace id', `${'0'.repeat(32)}-${SPAN_ID}-1`, undefined],
      ['upper-case hex', `${TRACE_ID.toUpperCase()}-${SPAN_ID}-1`, undefined],
    ])('extracts %s', (_, b3, expected) => {
      expect(spanContextOf({ b3 })).toEqual(expected);
    });

    it.each([
      [`${TRACE_ID}-${SPAN_ID}-1`, `${TRACE_ID}-${SPAN_ID}-1`],
      [`${TRACE_ID}-${SPAN_ID}-d`, `${TRACE_ID}-${SPAN_ID}-d`],
      [`${TRACE_ID}-${SPAN_ID}-0`, `${TRACE_ID}-${SPAN_ID}-0`],
      [`a3ce929d0e0e4736-${SPAN_ID}-1`, `${PADDED_64}-${SPAN_ID}-1`],
    ])('round-trips %s', (b3, written) => {
      expect(injectFrom({ b3 })).toEqual({ b3: written });
    });
  });

  describe('b3multi', () => {
    beforeEach(() => use('b3multi'));

    it.each<[string, HeaderRecord, Omit<SpanContext, 'isRemote'> | undefined]>([
      [
        'sampled',
        { 'X-B3-TraceId': TRACE_ID, 'X-B3-SpanId': SPAN_ID, 'X-B3-Sampled': '1' },
        { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 },
      ],
      [
        'a 64-bit trace id',
        { 'x-b3-traceid': 'a3ce929d0e0e4736', 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '1' },
        { traceId: PADDED_64, spanId: SPAN_ID, traceFlags: 1 },
      ],
      [
        'debug flag',
        { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-flags': '1' },
        { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 },
      ],
      [
        'deny',
        { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '0' },
        { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 },
      ],
      ['a missing span id', { 'x-b3-traceid': TRACE_ID, 'x-b3-sampled': '1' }, undefined],
    ])('extracts %s', (_, headers, expected) => {
      expect(spanContextOf(headers)).toEqual(expected);
    });

    it('round-trips the debug flag', () => {
      expect(
        injectFrom({ 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-flags': '1' }),
      ).toEqual({
        'x-b3-traceid': TRACE_ID,
        'x-b3-spanid': SPAN_ID,
        'x-b3-flags': '1',
      });
    });
  });

  describe('xray', () => {
    beforeEach(() => use('xray'));

    const ROOT = 'Root=1-5759e988-bd862e3fe1be46a994272793';

    it.each<[string, string, Omit<SpanContext, 'isRemote'> | undefined]>([
      [
        'the documented example',
        `${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`,
        { traceId: '5759e988bd862e3fe1be46a994272793', spanId: '53995c3f42cd8ad8', traceFlags: 1 },
      ],
      [
        'unsampled',
        `${ROOT};Parent=53995c3f42cd8ad8;Sampled=0`,
        { traceId: '5759e988bd862e3fe1be46a994272793', spanId: '53995c3f42cd8ad8', traceFlags: 0 },
      ],
      [
        'reordered, with spaces',
        `Sampled=1; Parent=53995c3f42cd8ad8; ${ROOT}`,
        { traceId: '5759e988bd862e3fe1be46a994272793', spanId: '53995c3f42cd8ad8', traceFlags: 1 },
      ],
      [
        'a wrong version',
        'Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
        undefined,
      ],
      ['a Root that is not hex', 'Root=1-5759e988-bd862e3fe1be46a99427279z;Sampled=1', undefined],
      ['no Root', 'Parent=53995c3f42cd8ad8;Sampled=1', undefined],
    ])('extracts %s', (_, value, expected) => {
      expect(spanContextOf({ 'x-amzn-trace-id': value })).toEqual(expected);
    });

    // An AWS load balancer sends `Root` alone; the X-Ray SDK omits `Parent` when unsampled.
    it.each<[string, string, number]>([
      ['Root alone (a load balancer), sampled by default', ROOT, 1],
      ['Root and Sampled=1', `${ROOT};Sampled=1`, 1],
      ['Root and Sampled=0 (the X-Ray SDK, unsampled)', `${ROOT};Sampled=0`, 0],
      ['Root and Sampled=? (decision requested)', `${ROOT};Sampled=?`, 1],
      ['Root with a Self field', `Self=1-67891234-12456789abcdef012345678;${ROOT}`, 1],
    ])('keeps the trace id of %s under a fresh span id', (_, value, traceFlags) => {
      const sc = trace.getSpanContext(extract({ 'x-amzn-trace-id': value }));
      expect(sc).toEqual({
        traceId: '5759e988bd862e3fe1be46a994272793',
        spanId: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown,
        traceFlags,
        isRemote: true,
        traceState: undefined,
      });
      expect(sc?.spanId).not.toBe('0000000000000000');
    });

    it('keeps the Parent of a header without a sampling decision', () => {
      expect(spanContextOf({ 'x-amzn-trace-id': `${ROOT};Parent=53995c3f42cd8ad8` })).toEqual({
        traceId: '5759e988bd862e3fe1be46a994272793',
        spanId: '53995c3f42cd8ad8',
        traceFlags: 1,
      });
    });

    it('leaves a header without a decision unsampled with xrayDefaultSampled: false', () => {
      propagation.disable();
      setupPropagation({ propagators: ['xray'], xrayDefaultSampled: false });
      expect(trace.getSpanContext(extract({ 'x-amzn-trace-id': ROOT }))?.traceFlags).toBe(0);
      expect(
        trace.getSpanContext(extract({ 'x-amzn-trace-id': `${ROOT};Sampled=1` }))?.traceFlags,
      ).toBe(1);
    });

    it('rejects an xrayDefaultSampled that is not a boolean', () => {
      expect(() => createPropagator(['xray'], { xrayDefaultSampled: 'no' as never })).toThrow(
        InvalidOptionError,
      );
    });

    it('round-trips the documented example', () => {
      const value = `${ROOT};Parent=53995c3f42cd8ad8;Sampled=1`;
      expect(injectFrom({ 'X-Amzn-Trace-Id': value })).toEqual({ 'x-amzn-trace-id': value });
    });
  });

  describe('jaeger', () => {
    beforeEach(() => use('jaeger'));

    it.each<[string, string, Omit<SpanContext, 'isRemote'> | undefined]>([
      [
        'sampled',
        `${TRACE_ID}:${SPAN_ID}:0:1`,
        { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 },
      ],
      [
        'a 64-bit trace id, padded',
        `a3ce929d0e0e4736:${SPAN_ID}:0:1`,
        { traceId: PADDED_64, spanId: SPAN_ID, traceFlags: 1 },
      ],
      [
        'URL-encoded',
        `${TRACE_ID}%3A${SPAN_ID}%3A0%3A1`,
        { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 },
      ],
      [
        'unsampled',
        `${TRACE_ID}:${SPAN_ID}:0:0`,
        { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 },
      ],
      ['too few fields', `${TRACE_ID}:${SPAN_ID}:0`, undefined],
    ])('extracts %s', (_, value, expected) => {
      expect(spanContextOf({ 'uber-trace-id': value })).toEqual(expected);
    });

    it('reads uberctx- baggage', () => {
      const ctx = extract({
        'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:1`,
        'uberctx-tenant': 'acme',
      });
      expect(propagation.getBaggage(ctx)?.getEntry('tenant')?.value).toBe('acme');
    });

    it('round-trips', () => {
      expect(injectFrom({ 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:1` })).toEqual({
        'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:01`,
      });
    });
  });

  describe('baggage (W3C Baggage)', () => {
    beforeEach(() => use('baggage'));

    function entries(header: string): Record<string, string> {
      const baggage = propagation.getBaggage(extract({ baggage: header }));
      return Object.fromEntries(baggage?.getAllEntries().map(([k, e]) => [k, e.value]) ?? []);
    }

    it('reads 64 members (§3.3.2: at least 64 must be propagated)', () => {
      const header = Array.from({ length: 64 }, (_, i) => `k${i}=v${i}`).join(',');
      expect(Object.keys(entries(header))).toHaveLength(64);
    });

    it('decodes percent-encoded values', () => {
      expect(entries('user=J%C3%B6rg%20D,sep=a%2Cb%3Bc%3Dd')).toEqual({
        user: 'Jörg D',
        sep: 'a,b;c=d',
      });
    });

    it('keeps properties as metadata', () => {
      const baggage = propagation.getBaggage(extract({ baggage: 'k=v;prop1=1;flag' }));
      expect(baggage?.getEntry('k')?.value).toBe('v');
      expect(baggage?.getEntry('k')?.metadata?.toString()).toBe('prop1=1;flag');
    });

    it('percent-encodes values on inject and round-trips them', () => {
      const ctx = propagation.setBaggage(
        ROOT_CONTEXT,
        propagation.createBaggage({ user: { value: 'Jörg D, a;b=c' } }),
      );
      const out: HeaderRecord = {};
      propagation.inject(ctx, out, headerSetter);
      expect(out.baggage).toBe('user=J%C3%B6rg%20D%2C%20a%3Bb%3Dc');
      expect(entries(out.baggage as string)).toEqual({ user: 'Jörg D, a;b=c' });
    });

    it('never injects more than 8,192 bytes (§3.3.2)', () => {
      const many = Object.fromEntries(
        Array.from({ length: 100 }, (_, i) => [`key${i}`, { value: 'x'.repeat(200) }]),
      );
      const out: HeaderRecord = {};
      propagation.inject(
        propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage(many)),
        out,
        headerSetter,
      );
      expect(Buffer.byteLength(out.baggage as string)).toBeLessThanOrEqual(8192);
      expect((out.baggage as string).split(',').length).toBeGreaterThan(0);
    });
  });
});
