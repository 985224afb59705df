// Extraction benchmark: the CPU of reading an incoming request's trace context, which every
// traced request pays. Side by side in one process, on the headers of bench/http-propagation.mjs
// (a traceparent and one baggage member, among the headers autocannon sends), read from
// Node's `rawHeaders` as `traceRequests` reads them:
//   opentelemetry-core  OpenTelemetry's own W3CTraceContextPropagator + W3CBaggagePropagator
//                       in a CompositePropagator (what an OpenTelemetry SDK registers)
//   tracelink           createPropagator(['tracecontext', 'baggage']) (what setupPropagation
//                       registers by default)
//   tracelink, whole request start
//                       RequestTracer.startRequest in lightweight mode: extraction, request-id
//                       lookup and the child span context — the request's tracing cost
//                       before the handler runs
//   parseTraceParent alone
//                       OpenTelemetry's (one regular expression) and tracelink's (char codes)
// Interleaved rounds (harness.mjs); the ratio is throughput against opentelemetry-core.
//
//   npm run build && node bench/extraction.mjs
//   env: BENCH_ROUNDS (31), BENCH_CALLS (20000),
//        BENCH_BASELINE=<another build's dist/cjs> — adds that build's propagator and request
//        start as rows (A/B in one process)
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { runInterleaved, toMarkdown } from './harness.mjs';
import { RAW_HEADERS, REQUEST, RESPONSE, TRACEPARENT } from './traced-request.mjs';

const require = createRequire(import.meta.url);
const { ROOT_CONTEXT, propagation, trace } = require('@opentelemetry/api');
const {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
  parseTraceParent: parseWithOpenTelemetry,
} = require('@opentelemetry/core');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 31);
const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);

function load(dir) {
  const at = (path) => require(resolve(dir, path));
  const { createPropagator } = at('src/propagation/create-propagator.js');
  return {
    traceContext: createPropagator(['tracecontext']),
    propagator: createPropagator(['tracecontext', 'baggage']),
    getter: at('src/propagation/raw-header-getter.js').rawHeaderGetter,
    tracer: new (at('src/propagation/http-server/request-tracer.js').RequestTracer)(),
  };
}

const current = load(resolve(import.meta.dirname, '../dist/cjs'));
// Not in older builds: only this build's is timed.
const { parseTraceParent } = require('../dist/cjs/src/propagation/trace-context-propagator.js');
const coreTraceContext = new W3CTraceContextPropagator();
const core = new CompositePropagator({
  propagators: [coreTraceContext, new W3CBaggagePropagator()],
});
// The same getter for both, so the rows differ only in the propagators.
const extractWith = (propagator) => () =>
  propagator.extract(ROOT_CONTEXT, RAW_HEADERS, current.getter);

// Same answer from both before timing anything: ids, flags and baggage.
const summary = (ctx) => {
  const { traceId, spanId, traceFlags } = trace.getSpanContext(ctx) ?? {};
  return { traceId, spanId, traceFlags, baggage: propagation.getBaggage(ctx)?.getAllEntries() };
};
if (!isDeepStrictEqual(summary(extractWith(current.propagator)()), summary(extractWith(core)()))) {
  throw new Error('tracelink and OpenTelemetry extract different contexts');
}

let sink;
const variant = (name, fn) => ({
  name,
  run: (calls) => {
    for (let i = 0; i < calls; i++) sink = fn();
  },
});
// The request start extracts through the global propagator: each build's own is registered
// for its round.
const requestStart = (name, build) => ({
  name,
  run: (calls) => {
    propagation.disable();
    propagation.setGlobalPropagator(build.propagator);
    for (let i = 0; i < calls; i++) sink = build.tracer.startRequest(REQUEST, RESPONSE);
  },
});
const variants = [
  variant('opentelemetry-core: tracecontext, baggage', extractWith(core)),
  variant('tracelink: tracecontext, baggage', extractWith(current.propagator)),
  variant('opentelemetry-core: tracecontext', extractWith(coreTraceContext)),
  variant('tracelink: tracecontext', extractWith(current.traceContext)),
  requestStart('tracelink: whole request start', current),
  variant('opentelemetry-core: parseTraceParent alone', () => parseWithOpenTelemetry(TRACEPARENT)),
  variant('tracelink: parseTraceParent alone', () => parseTraceParent(TRACEPARENT)),
];
if (process.env.BENCH_BASELINE) {
  const before = load(resolve(process.env.BENCH_BASELINE));
  variants.push(
    variant('BENCH_BASELINE build: tracecontext, baggage', extractWith(before.propagator)),
    variant('BENCH_BASELINE build: tracecontext', extractWith(before.traceContext)),
    requestStart('BENCH_BASELINE build: whole request start', before),
  );
}

const results = await runInterleaved({
  baseline: 'opentelemetry-core: tracecontext, baggage',
  variants,
  calls: CALLS,
  rounds: ROUNDS,
});
console.log(
  toMarkdown(
    `Extracting an incoming request's context (${ROUNDS} rounds × ${CALLS} calls)`,
    results,
  ),
);
if (sink === undefined) console.log('');
