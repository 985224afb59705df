import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import {
  withTraceHeaders,
  createTracedFetch,
  tracedFetch,
} from '../../../src/propagation/http-client/fetch';
import type { FetchHeadersLike } from '../../../src/propagation/http-client/fetch';
import { EXAMPLE_SPAN_CONTEXT, withSpanContext } from '../../helpers/tracing';
import {
  useW3CPropagation,
  CALLER_TRACEPARENT,
  CHILD_TRACEPARENT,
  THROWING_PROPAGATOR,
  useCaptureServer,
  useDiagWarnings,
  withPropagator,
} from './capture-server';
import { InvalidOptionError } from '../../../src/core/invalid-option-error';

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
        traceparent: CHILD_TRACEPARENT,
        tracestate: 'vendor=value',
        baggage: 'user.id=42',
      });
    });

    it('works without an init', () => {
      const init = withSpanContext(EXAMPLE_SPAN_CONTEXT, () => withTraceHeaders());
      expect(asRecord(init.headers)).toEqual({ traceparent: CHILD_TRACEPARENT });
    });

    it('injects a given context instead of the active one', () => {
      const ctx = trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT);
      expect(asRecord(withTraceHeaders({}, { context: ctx }).headers)).toEqual({
        traceparent: CHILD_TRACEPARENT,
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
      expect(asRecord(init.headers)).toEqual({
        'x-request': 'kept',
        traceparent: CHILD_TRACEPARENT,
      });
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
      expect(asRecord(init.headers)).toMatchObject({
        baggage: 'a=b',
        traceparent: CHILD_TRACEPARENT,
      });
    });
  });

  describe('without an active span context', () => {
    it('adds no traceparent and leaves init as it was', () => {
      const init = { headers: { accept: 'text/plain' } };
      expect(withTraceHeaders(init)).toBe(init);
    });
  });
});

useW3CPropagation();
const warnings = useDiagWarnings();
const server = useCaptureServer();

async function send(call: () => Promise<Response>): Promise<void> {
  const response = await withSpanContext(EXAMPLE_SPAN_CONTEXT, call);
  await response.text();
}

describe('tracedFetch', () => {
  describe('with an active span context', () => {
    it.each<[string, () => Promise<Response>, string | undefined]>([
      ['a URL string', () => tracedFetch(server.url), undefined],
      ['a URL and a record', () => tracedFetch(server.url, { headers: { 'x-a': '1' } }), '1'],
      ['a URL and pairs', () => tracedFetch(server.url, { headers: [['x-a', '1']] }), '1'],
      [
        'a URL and Headers',
        () => tracedFetch(server.url, { headers: new Headers({ 'x-a': '1' }) }),
        '1',
      ],
      [
        'a Request with its own headers',
        () => tracedFetch(new Request(server.url, { headers: { 'x-a': '1' } })),
        '1',
      ],
      [
        'a Request and init headers (which fetch puts in place of the Request’s)',
        () =>
          tracedFetch(new Request(server.url, { headers: { 'x-old': '0' } }), {
            headers: { 'x-a': '1' },
          }),
        '1',
      ],
    ])('sends traceparent for %s, with the caller’s headers', async (_, call, xA) => {
      await send(call);
      expect(server.last().traceparent).toEqual(CHILD_TRACEPARENT);
      expect(server.last()['x-a']).toBe(xA);
      expect(server.last()['x-old']).toBeUndefined();
    });

    it('sends the caller’s explicit traceparent, once', async () => {
      await send(() => tracedFetch(server.url, { headers: { traceparent: CALLER_TRACEPARENT } }));
      expect(server.last().traceparent).toBe(CALLER_TRACEPARENT);
    });

    it('keeps a POST body of a Request input', async () => {
      const request = new Request(server.url, { method: 'POST', body: 'hello' });
      await send(() => tracedFetch(request));
      expect(server.last()['content-length']).toBe('5');
      expect(server.last().traceparent).toEqual(CHILD_TRACEPARENT);
    });
  });

  describe('without an active span context', () => {
    it('sends no traceparent (the propagator writes nothing)', async () => {
      await (await tracedFetch(server.url)).text();
      expect(server.last().traceparent).toBeUndefined();
    });
  });

  describe('with a throwing propagator', () => {
    it('still sends the request, without trace headers, and reports through diag', async () => {
      await withPropagator(THROWING_PROPAGATOR, () =>
        send(() => tracedFetch(server.url, { headers: { 'x-a': '1' } })),
      );
      expect(server.last()['x-a']).toBe('1');
      expect(server.last().traceparent).toBeUndefined();
      expect(warnings.join('\n')).toMatch(/injecting into an outgoing request failed/);
    });
  });
});

describe('createTracedFetch', () => {
  it('wraps the given fetch, called with the trace headers', async () => {
    const calls: unknown[][] = [];
    const fake = (input: string, init?: RequestInit): Promise<Response> => {
      calls.push([input, init]);
      return Promise.resolve(new Response('ok'));
    };
    const traced = createTracedFetch(fake);
    await send(() => traced('http://example.invalid/', { method: 'PUT' }));
    expect(calls).toEqual([
      ['http://example.invalid/', { method: 'PUT', headers: { traceparent: CHILD_TRACEPARENT } }],
    ]);
  });

  it('uses globalThis.fetch as it is at call time', async () => {
    const original = globalThis.fetch;
    const traced = createTracedFetch();
    const seen: unknown[] = [];
    globalThis.fetch = (_input: unknown, init?: unknown) => {
      seen.push(init);
      return Promise.resolve(new Response('ok'));
    };
    try {
      await send(() => traced('http://example.invalid/'));
    } finally {
      globalThis.fetch = original;
    }
    expect(seen).toEqual([{ headers: { traceparent: CHILD_TRACEPARENT } }]);
  });

  it.each([['not a function'], [42]])('rejects a fetchImpl of %j', (fetchImpl) => {
    expect(() => createTracedFetch(fetchImpl as unknown as typeof fetch)).toThrow(
      InvalidOptionError,
    );
  });

  it('rejects a non-boolean deferToInstrumentation', () => {
    expect(() =>
      createTracedFetch(undefined, { deferToInstrumentation: 'yes' as unknown as boolean }),
    ).toThrow(InvalidOptionError);
  });
});
