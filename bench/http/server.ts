// One http-suite server in its own process, so each variant starts from a clean heap and
// nothing registered globally by one variant (a tracer provider, an instrumentation) leaks
// into another. BENCH_VARIANT picks the setup; the handler is the same in all of them: one
// pino line with the tracelink mixin (to /dev/null) and a small JSON answer.
// Prints {"port": n} once listening; exits when its stdin closes. Started by ./http.ts.
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type * as NodeHttp from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as Api from '@opentelemetry/api';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';
import type * as Instrumentation from '@opentelemetry/instrumentation';
import type * as InstrumentationHttp from '@opentelemetry/instrumentation-http';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type * as SdkTraceNode from '@opentelemetry/sdk-trace-node';
import type Pino from 'pino';
import { load } from '../harness.js';

const variant = process.env.BENCH_VARIANT ?? 'plain';
// No tracelink middleware in these; they differ from plain only in the handler or the mixin.
const PLAIN_VARIANTS = ['plain', 'ref-busy-3us', 'ref-fields-only'];

// Spans are batched and handed to an exporter that drops them: the cost measured is making
// spans, not shipping them (that is the collector's and the network's).
const dropSpans: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};

function setUpSdk() {
  const { trace } = load<typeof Api>('@opentelemetry/api');
  const { BasicTracerProvider, BatchSpanProcessor } = load<typeof SdkTraceBase>(
    '@opentelemetry/sdk-trace-base',
  );
  const provider = new BasicTracerProvider({
    spanProcessors: [new BatchSpanProcessor(dropSpans, { maxQueueSize: 65_536 })],
  });
  trace.setGlobalTracerProvider(provider);
}

let wrap = (listener: RequestListener): RequestListener => listener;
if (variant === 'instrumentation-http') {
  // The existing OpenTelemetry package, as its docs set it up: patch http before it is used.
  const { NodeTracerProvider } = load<typeof SdkTraceNode>('@opentelemetry/sdk-trace-node');
  const { BatchSpanProcessor } = load<typeof SdkTraceBase>('@opentelemetry/sdk-trace-base');
  const { HttpInstrumentation } = load<typeof InstrumentationHttp>(
    '@opentelemetry/instrumentation-http',
  );
  const { registerInstrumentations } = load<typeof Instrumentation>(
    '@opentelemetry/instrumentation',
  );
  new NodeTracerProvider({
    spanProcessors: [new BatchSpanProcessor(dropSpans, { maxQueueSize: 65_536 })],
  }).register();
  registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });
} else if (variant === 'context-only') {
  // No tracelink: only running each request inside an AsyncLocalStorage context, which any
  // context propagation needs. On Node 20, entering one enables async_hooks for the process.
  const { ROOT_CONTEXT, context } = load<typeof Api>('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = load<typeof ContextAsyncHooks>(
    '@opentelemetry/context-async-hooks',
  );
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  wrap = (listener) => (req, res) => context.with(ROOT_CONTEXT, listener, undefined, req, res);
} else if (!PLAIN_VARIANTS.includes(variant)) {
  const { setupPropagation, traceRequests } = await import('tracelink/propagation');
  setupPropagation();
  if (variant === 'tracelink-sdk') setUpSdk();
  wrap = (listener) => traceRequests(listener);
}
if (PLAIN_VARIANTS.includes(variant)) {
  // The same context manager as the other variants, so the pino mixin costs the same.
  const { context } = load<typeof Api>('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = load<typeof ContextAsyncHooks>(
    '@opentelemetry/context-async-hooks',
  );
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

const { createServer: createServerAfterPatch } = load<typeof NodeHttp>('node:http');
const pino = load<typeof Pino>('pino');
const { pinoMixin } = await import('tracelink/pino');
// ref-fields-only: the three fields a traced request's line carries, as constants. A fresh
// object per line, as pinoMixin returns: pino merges the line's own fields into it.
const constantFields = () => ({
  trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
  span_id: '00f067aa0ba902b7',
  trace_flags: '01',
});
const mixin = variant === 'ref-fields-only' ? constantFields : pinoMixin();
const logger = pino({ mixin }, pino.destination('/dev/null'));

// BENCH_HANDLER=trivial (default): one log line and a tiny answer — the worst case for any
// per-request overhead. BENCH_HANDLER=api: a small JSON API handler — reads the query, logs on
// entry and exit, answers 20 items (~2 KB of JSON) built per request.
const tiny = JSON.stringify({ ok: true });
const trivial = (req: IncomingMessage, res: ServerResponse) => {
  logger.info({ path: req.url }, 'handled');
  res.setHeader('content-type', 'application/json');
  res.end(tiny);
};
const api = (req: IncomingMessage, res: ServerResponse) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const page = Number(url.searchParams.get('page') ?? 1);
  logger.info({ path: url.pathname, page }, 'listing orders');
  const items = [];
  for (let i = 0; i < 20; i++) {
    items.push({ id: page * 100 + i, status: i % 3 === 0 ? 'shipped' : 'open', total: i * 9.5 });
  }
  const answer = JSON.stringify({ page, items });
  logger.info({ count: items.length, bytes: answer.length }, 'orders listed');
  res.setHeader('content-type', 'application/json');
  res.end(answer);
};
const chosen = process.env.BENCH_HANDLER === 'api' ? api : trivial;
// ref-busy-3us: the plain server plus 3 µs of busy CPU per request, about tracelink's own
// work per request (the extraction part of this suite) — shows what this setup makes of any 3 µs.
const busy =
  (listener: RequestListener): RequestListener =>
  (req, res) => {
    const until = process.hrtime.bigint() + 3_000n;
    while (process.hrtime.bigint() < until);
    listener(req, res);
  };
const handler = variant === 'ref-busy-3us' ? busy(chosen) : chosen;
const server = (variant === 'instrumentation-http' ? createServerAfterPatch : createServer)(
  wrap(handler),
);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
