import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  Agent,
  fetch as undiciFetch,
  getGlobalDispatcher,
  request,
  setGlobalDispatcher,
} from 'undici';
import type { Dispatcher } from 'undici';
import { InvalidOptionError } from '../../../src/core/invalid-option-error';
import { traceContextInterceptor } from '../../../src/propagation/http-client/undici-interceptor';
import { EXAMPLE_SPAN_CONTEXT, withSpanContext } from '../../helpers/tracing';
import {
  CALLER_TRACEPARENT,
  THROWING_PROPAGATOR,
  CHILD_TRACEPARENT,
  startCaptureServer,
  useDiagWarnings,
  useW3CPropagation,
  withPropagator,
} from './capture-server';
import type { CaptureServer } from './capture-server';

const execFileAsync = promisify(execFile);

useW3CPropagation();
const warnings = useDiagWarnings();
let server: CaptureServer;
let agent: Agent;
let traced: Dispatcher;
beforeAll(async () => {
  server = await startCaptureServer();
  agent = new Agent();
  // Typed against undici's own compose(): the structural interceptor type must fit it.
  traced = agent.compose(traceContextInterceptor());
});
afterAll(async () => {
  await agent.close();
  await server.close();
});

async function get(headers?: Dispatcher.RequestOptions['headers']): Promise<void> {
  const response = await request(server.url, { dispatcher: traced, headers });
  await response.body.text();
}

describe('traceContextInterceptor', () => {
  describe('with undici’s request', () => {
    it.each<[string, Dispatcher.RequestOptions['headers']]>([
      ['no headers', undefined],
      ['a record', { 'x-a': '1' }],
      ['a flat array', ['x-a', '1']],
      ['an iterable of pairs', new Map([['x-a', '1']])],
    ])('sends traceparent with %s', async (_, headers) => {
      await withSpanContext(EXAMPLE_SPAN_CONTEXT, () => get(headers));
      expect(server.last().traceparent).toEqual(CHILD_TRACEPARENT);
      if (headers !== undefined) expect(server.last()['x-a']).toBe('1');
    });

    it.each<[string, Dispatcher.RequestOptions['headers']]>([
      ['a record', { TraceParent: CALLER_TRACEPARENT }],
      ['a flat array', ['Traceparent', CALLER_TRACEPARENT]],
    ])('keeps the caller’s traceparent in %s, sent once', async (_, headers) => {
      await withSpanContext(EXAMPLE_SPAN_CONTEXT, () => get(headers));
      expect(server.last().traceparent).toBe(CALLER_TRACEPARENT);
    });

    it('sends no traceparent without an active span context', async () => {
      await get({ 'x-a': '1' });
      expect(server.last().traceparent).toBeUndefined();
    });

    it('still sends the request when the propagator throws, and reports through diag', async () => {
      await withPropagator(THROWING_PROPAGATOR, () =>
        withSpanContext(EXAMPLE_SPAN_CONTEXT, () => get({ 'x-a': '1' })),
      );
      expect(server.last()['x-a']).toBe('1');
      expect(server.last().traceparent).toBeUndefined();
      expect(warnings.join('\n')).toMatch(/injecting into an outgoing request failed/);
    });
  });

  describe('with undici’s fetch', () => {
    it('sends traceparent next to the caller’s headers', async () => {
      await withSpanContext(EXAMPLE_SPAN_CONTEXT, async () => {
        const response = await undiciFetch(server.url, {
          dispatcher: traced,
          headers: { 'x-a': '1' },
        });
        await response.text();
      });
      expect(server.last()).toMatchObject({ traceparent: CHILD_TRACEPARENT, 'x-a': '1' });
    });
  });

  describe('as the global dispatcher', () => {
    let previous: Dispatcher;
    beforeAll(() => {
      previous = getGlobalDispatcher();
      setGlobalDispatcher(traced);
    });
    afterAll(() => setGlobalDispatcher(previous));

    it('makes undici’s request without a dispatcher send traceparent', async () => {
      await withSpanContext(EXAMPLE_SPAN_CONTEXT, async () => {
        await (await request(server.url)).body.text();
      });
      expect(server.last().traceparent).toEqual(CHILD_TRACEPARENT);
    });
  });

  describe('as the global dispatcher of Node’s own fetch (in a child process)', () => {
    it('sends traceparent, and nothing once the previous dispatcher is restored', async () => {
      const child = join(__dirname, 'fixtures', 'global-fetch-child.ts');
      const received = server.received.length;
      await execFileAsync(process.execPath, ['--import', 'tsx', child, server.url], {
        cwd: join(__dirname, '..', '..', '..'),
      });
      const [traced, restored] = server.received.slice(received);
      expect(traced).toMatchObject({ traceparent: CHILD_TRACEPARENT, 'x-a': '1' });
      expect(restored?.traceparent).toBeUndefined();
    }, 20_000);
  });

  it('rejects a non-boolean deferToInstrumentation', () => {
    expect(() =>
      traceContextInterceptor({ deferToInstrumentation: 1 as unknown as boolean }),
    ).toThrow(InvalidOptionError);
  });
});
