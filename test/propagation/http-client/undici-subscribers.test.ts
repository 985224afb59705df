import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { Agent, request } from 'undici';
import * as fetchModule from '../../../src/propagation/http-client/fetch';
import { traceContextInterceptor } from '../../../src/propagation/http-client/undici-interceptor';
import { EXAMPLE_SPAN_CONTEXT, withSpanContext } from '../../helpers/tracing';
import {
  CHILD_TRACEPARENT,
  CALLER_TRACEPARENT,
  useCaptureServer,
  useW3CPropagation,
} from './capture-server';

// No tracer provider here: lightweight mode. What other subscribers of undici's
// `undici:request:create` channel do decides whether tracelink's traceparent stays.
useW3CPropagation();
const server = useCaptureServer();
const messages: string[] = [];
beforeAll(() => {
  const log = (message: string) => messages.push(message);
  diag.setLogger(
    { error: log, warn: log, info: log, debug: log, verbose: () => {} },
    DiagLogLevel.DEBUG,
  );
});
afterAll(() => diag.disable());

const agent = new Agent();
afterAll(() => agent.close());

type Send = (fetch: typeof fetchModule, url: string) => Promise<void>;
const clients: [string, Send][] = [
  ['tracedFetch', async (m, url) => void (await (await m.tracedFetch(url)).text())],
  [
    'fetch with withTraceHeaders',
    async (m, url) => void (await (await fetch(url, m.withTraceHeaders<RequestInit>({}))).text()),
  ],
  [
    'the undici interceptor',
    async (_, url) =>
      void (await (
        await request(url, { dispatcher: agent.compose(traceContextInterceptor()) })
      ).body.text()),
  ],
];

// What @opentelemetry/instrumentation-undici does on this channel: add its own traceparent
// (and tracestate) with `request.addHeader`.
const THEIR_TRACESTATE = 'theirs=1';
function addingSubscriber(message: unknown): void {
  const { request: req } = message as { request: { addHeader(name: string, value: string): void } };
  req.addHeader('traceparent', CALLER_TRACEPARENT);
  req.addHeader('tracestate', THEIR_TRACESTATE);
}

describe('another subscriber of undici:request:create', () => {
  describe.each(clients)('%s', (_, send) => {
    it('that adds no traceparent (a metrics hook) leaves tracelink injecting, and diag says so', async () => {
      const listener = () => undefined;
      subscribe('undici:request:create', listener);
      messages.length = 0;
      try {
        await withSpanContext(EXAMPLE_SPAN_CONTEXT, () => send(fetchModule, server.url));
      } finally {
        unsubscribe('undici:request:create', listener);
      }
      expect(server.last().traceparent).toEqual(CHILD_TRACEPARENT);
      expect(messages.join('\n')).toMatch(/tracelink injected its traceparent/);
    });

    it('that adds its own traceparent after tracelink’s subscriber: only theirs is sent', async () => {
      await send(fetchModule, server.url); // tracelink subscribes on first use
      subscribe('undici:request:create', addingSubscriber);
      messages.length = 0;
      try {
        await withSpanContext(EXAMPLE_SPAN_CONTEXT, () => send(fetchModule, server.url));
      } finally {
        unsubscribe('undici:request:create', addingSubscriber);
      }
      expect(server.last().traceparent).toBe(CALLER_TRACEPARENT);
      expect(server.last().tracestate).toBe(THEIR_TRACESTATE);
      expect(messages.join('\n')).toMatch(/removed its own/);
    });

    it('that subscribed before tracelink did: only theirs is sent', async () => {
      subscribe('undici:request:create', addingSubscriber);
      try {
        // A fresh copy of tracelink, which subscribes after the adding subscriber.
        let fresh: typeof fetchModule | undefined;
        let interceptor: typeof traceContextInterceptor | undefined;
        jest.isolateModules(() => {
          fresh = jest.requireActual<typeof fetchModule>(
            '../../../src/propagation/http-client/fetch',
          );
          interceptor = jest.requireActual<{
            traceContextInterceptor: typeof traceContextInterceptor;
          }>('../../../src/propagation/http-client/undici-interceptor').traceContextInterceptor;
        });
        const run: Send =
          _ === 'the undici interceptor'
            ? async (__, url) =>
                void (await (
                  await request(url, {
                    dispatcher: agent.compose((interceptor as typeof traceContextInterceptor)()),
                  })
                ).body.text())
            : send;
        await withSpanContext(EXAMPLE_SPAN_CONTEXT, () =>
          run(fresh as typeof fetchModule, server.url),
        );
      } finally {
        unsubscribe('undici:request:create', addingSubscriber);
      }
      expect(server.last().traceparent).toBe(CALLER_TRACEPARENT);
      expect(server.last().tracestate).toBe(THEIR_TRACESTATE);
    });
  });

  it('keeps tracelink’s traceparent as well with deferToInstrumentation: false', async () => {
    subscribe('undici:request:create', addingSubscriber);
    try {
      const traced = fetchModule.createTracedFetch<typeof fetch>(undefined, {
        deferToInstrumentation: false,
      });
      await withSpanContext(
        EXAMPLE_SPAN_CONTEXT,
        async () => void (await (await traced(server.url)).text()),
      );
    } finally {
      unsubscribe('undici:request:create', addingSubscriber);
    }
    const sent = String(server.last().traceparent).split(', ');
    expect(sent).toEqual([CHILD_TRACEPARENT, CALLER_TRACEPARENT]);
  });
});

describe('outgoing requests in lightweight mode', () => {
  it.each(clients)('%s: three requests carry three parent-ids of their own', async (_, send) => {
    const before = server.received.length;
    await withSpanContext(EXAMPLE_SPAN_CONTEXT, async () => {
      for (let i = 0; i < 3; i++) await send(fetchModule, server.url);
    });
    const sent = server.received.slice(before).map((headers) => headers.traceparent);
    expect(sent).toEqual([CHILD_TRACEPARENT, CHILD_TRACEPARENT, CHILD_TRACEPARENT]);
    expect(new Set(sent).size).toBe(3);
  });
});
