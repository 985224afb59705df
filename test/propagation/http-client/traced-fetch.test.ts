import { createTracedFetch, tracedFetch } from '../../../src/propagation/http-client/fetch';
import { InvalidOptionError } from '../../../src/core/invalid-option-error';
import { EXAMPLE_SPAN_CONTEXT, withSpanContext } from '../../helpers/tracing';
import {
  CALLER_TRACEPARENT,
  THROWING_PROPAGATOR,
  TRACEPARENT,
  useCaptureServer,
  useDiagWarnings,
  useW3CPropagation,
  withPropagator,
} from './capture-server';

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
      expect(server.last().traceparent).toBe(TRACEPARENT);
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
      expect(server.last().traceparent).toBe(TRACEPARENT);
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
      ['http://example.invalid/', { method: 'PUT', headers: { traceparent: TRACEPARENT } }],
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
    expect(seen).toEqual([{ headers: { traceparent: TRACEPARENT } }]);
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
