// Extraction: the CPU of reading an incoming request's trace context, which every traced
// request pays. Side by side in one process, on the http suite's headers (./traced-request.ts)
// read from Node's `rawHeaders` as `traceRequests` reads them:
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
// Interleaved rounds (harness.ts); the ratio is throughput against opentelemetry-core.
//
//   npm run bench -- http   (its first part)
//   env: BENCH_ROUNDS (31), BENCH_CALLS (20000),
//        BENCH_BASELINE=<another build's dist/cjs> — adds that build's propagator and request
//        start as rows (A/B in one process)
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type * as Api from '@opentelemetry/api';
import type { Context, TextMapPropagator } from '@opentelemetry/api';
import type * as Core from '@opentelemetry/core';
import type * as Carriers from '../../src/propagation/carriers.js';
import type * as CreatePropagator from '../../src/propagation/create-propagator.js';
import type * as RequestTracerModule from '../../src/propagation/http-server/request-tracer.js';
import type * as TraceContext from '../../src/propagation/trace-context-propagator.js';
import { DIST, built, knob, load, runInterleaved, toMarkdown } from '../harness.js';
import type { Variant } from '../harness.js';
import { RAW_HEADERS, REQUEST, RESPONSE, TRACEPARENT } from './traced-request.js';

const { ROOT_CONTEXT, propagation, trace } = load<typeof Api>('@opentelemetry/api');
const {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
  parseTraceParent: parseWithOpenTelemetry,
} = load<typeof Core>('@opentelemetry/core');

const ROUNDS = knob('BENCH_ROUNDS', 31);
const CALLS = knob('BENCH_CALLS', 20_000);

function loadBuild(dist: string) {
  const { createPropagator } = built<typeof CreatePropagator>(
    'src/propagation/create-propagator.js',
    dist,
  );
  const { RequestTracer } = built<typeof RequestTracerModule>(
    'src/propagation/http-server/request-tracer.js',
    dist,
  );
  return {
    traceContext: createPropagator(['tracecontext']),
    propagator: createPropagator(['tracecontext', 'baggage']),
    tracer: new RequestTracer(),
  };
}
type Build = ReturnType<typeof loadBuild>;

const current = loadBuild(DIST);
// The same getter for every row, so the rows differ only in the propagators.
const { rawHeaderGetter } = built<typeof Carriers>('src/propagation/carriers.js');
const { parseTraceParent } = built<typeof TraceContext>(
  'src/propagation/trace-context-propagator.js',
);
const coreTraceContext = new W3CTraceContextPropagator();
const core = new CompositePropagator({
  propagators: [coreTraceContext, new W3CBaggagePropagator()],
});
const extractWith = (propagator: TextMapPropagator) => () =>
  propagator.extract(ROOT_CONTEXT, RAW_HEADERS, rawHeaderGetter);

// Same answer from both before timing anything: ids, flags and baggage.
const summary = (ctx: Context) => {
  const { traceId, spanId, traceFlags } = trace.getSpanContext(ctx) ?? {};
  return { traceId, spanId, traceFlags, baggage: propagation.getBaggage(ctx)?.getAllEntries() };
};
if (!isDeepStrictEqual(summary(extractWith(current.propagator)()), summary(extractWith(core)()))) {
  throw new Error('tracelink and OpenTelemetry extract different contexts');
}

let sink: unknown;
const variant = (name: string, fn: () => unknown): Variant => ({
  name,
  run: (calls) => {
    for (let i = 0; i < calls; i++) sink = fn();
  },
});
// The request start extracts through the global propagator: each build's own is registered
// for its round.
const requestStart = (name: string, build: Build): Variant => ({
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
  const before = loadBuild(resolve(process.env.BENCH_BASELINE));
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
    `Extracting an incoming request's context (${ROUNDS} rounds × ${CALLS} calls, one process)`,
    results,
  ),
);
if (sink === undefined) console.log('');
