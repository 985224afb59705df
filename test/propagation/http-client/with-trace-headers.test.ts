import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { withTraceHeaders } from '../../../src/propagation/http-client/fetch';
import type { FetchHeadersLike } from '../../../src/propagation/http-client/fetch';
import { EXAMPLE_SPAN_CONTEXT, withSpanContext } from '../../helpers/tracing';
import { useW3CPropagation } from './capture-server';
import { CALLER_TRACEPARENT, TRACEPARENT } from './capture-server';

useW3CPropagation();

function withTraceAndBaggage<T>(fn: () => T): T {
  const baggage = propagation.createBaggage({ 'user.id': { value: '42' } });
  const ctx = propagation.setBaggage(
    trace.setSpanContext(ROOT_CONTEXT, {
      ...EXAMPLE_SPAN_CONTEXT,
      traceState: new TraceState('vendor=value'),
    }),
    baggage,
  );
  return context.with(ctx, fn);
}

// Reads any header shape fetch accepts back as a lower-cased record, via this realm's Headers.
function asRecord(headers: unknown): Record<string, string> {
  return Object.fromEntries(new Headers(headers as ConstructorParameters<typeof Headers>[0]));
}

describe('withTraceHeaders', () => {
  describe('with an active span context', () => {
    it.each<[string, FetchHeadersLike | undefined, string]>([
      ['no headers', undefined, 'object'],
      ['a record', { accept: 'text/plain' }, 'object'],
      ['pairs', [['accept', 'text/plain']], 'array'],
      ['a Headers', new Headers({ accept: 'text/plain' }), 'Headers'],
      ['a Map', new Map([['accept', 'text/plain']]), 'Headers'],
    ])('adds traceparent, tracestate and baggage to %s, keeping the shape', (_, headers, shape) => {
      const init = withTraceAndBaggage(() => withTraceHeaders({ method: 'GET', headers }));
      expect(init.method).toBe('GET');
      const out = init.headers;
      const kind = Array.isArray(out) ? 'array' : out instanceof Headers ? 'Headers' : typeof out;
      expect(kind).toBe(shape);
      expect(asRecord(out)).toEqual({
        ...(headers === undefined ? {} : { accept: 'text/plain' }),
        traceparent: TRACEPARENT,
        tracestate: 'vendor=value',
        baggage: 'user.id=42',
      });
    });

    it('works without an init', () => {
      const init = withSpanContext(EXAMPLE_SPAN_CONTEXT, () => withTraceHeaders());
      expect(asRecord(init.headers)).toEqual({ traceparent: TRACEPARENT });
    });

    it('injects a given context instead of the active one', () => {
      const ctx = trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT);
      expect(asRecord(withTraceHeaders({}, { context: ctx }).headers)).toEqual({
        traceparent: TRACEPARENT,
      });
    });

    it('never mutates the caller’s init or headers', () => {
      const headers = { accept: 'text/plain' };
      const init = { headers };
      const pairs: [string, string][] = [['accept', 'text/plain']];
      const asHeaders = new Headers({ accept: 'text/plain' });
      withSpanContext(EXAMPLE_SPAN_CONTEXT, () => {
        withTraceHeaders(init);
        withTraceHeaders({ headers: pairs });
        withTraceHeaders({ headers: asHeaders });
      });
      expect(init).toEqual({ headers: { accept: 'text/plain' } });
      expect(pairs).toEqual([['accept', 'text/plain']]);
      expect([...asHeaders.keys()]).toEqual(['accept']);
    });

    it('copies the headers of a Request input when init has none', () => {
      const request = new Request('http://127.0.0.1/', { headers: { 'x-request': 'kept' } });
      const init = withSpanContext(EXAMPLE_SPAN_CONTEXT, () => withTraceHeaders({}, { request }));
      expect(asRecord(init.headers)).toEqual({ 'x-request': 'kept', traceparent: TRACEPARENT });
    });
  });

  describe('when the caller set a trace header explicitly', () => {
    it.each<[string, FetchHeadersLike]>([
      ['a record', { TraceParent: CALLER_TRACEPARENT }],
      ['pairs', [['Traceparent', CALLER_TRACEPARENT]]],
      ['a Headers', new Headers({ traceparent: CALLER_TRACEPARENT })],
    ])('keeps the caller’s traceparent in %s and adds no tracestate', (_, headers) => {
      const init = withTraceAndBaggage(() => withTraceHeaders({ headers }));
      // Their traceparent wins; our tracestate belongs to our trace, so it is not added to
      // theirs (W3C Trace Context §3.3). Baggage is independent and still added.
      expect(asRecord(init.headers)).toEqual({
        traceparent: CALLER_TRACEPARENT,
        baggage: 'user.id=42',
      });
    });

    it('keeps the caller’s baggage and still adds traceparent', () => {
      const init = withTraceAndBaggage(() => withTraceHeaders({ headers: { baggage: 'a=b' } }));
      expect(asRecord(init.headers)).toMatchObject({ baggage: 'a=b', traceparent: TRACEPARENT });
    });
  });

  describe('without an active span context', () => {
    it('adds no traceparent and leaves init as it was', () => {
      const init = { headers: { accept: 'text/plain' } };
      expect(withTraceHeaders(init)).toBe(init);
    });
  });

  describe('with an instrumentation subscribed to undici:request:create', () => {
    it('leaves injection to it by default, and injects when told not to defer', () => {
      const listener = () => {};
      subscribe('undici:request:create', listener);
      try {
        withSpanContext(EXAMPLE_SPAN_CONTEXT, () => {
          expect(withTraceHeaders({}).headers).toBeUndefined();
          expect(withTraceHeaders({}, { deferToInstrumentation: false }).headers).toEqual({
            traceparent: TRACEPARENT,
          });
        });
      } finally {
        unsubscribe('undici:request:create', listener);
      }
    });
  });
});
