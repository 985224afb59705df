// A whole traced request's tracing cost, in one process, without the network: the handler
// logs one pino line (to a stream that only counts characters), called directly with a request
// object carrying the HTTP bench's headers. Variants:
//   plain          the handler, no context: the line has no trace fields (pinoMixin adds none)
//   ref-fields     the handler with a mixin of three constant trace fields: the ids' share
//   context-only   the plain handler inside context.with(ROOT_CONTEXT): the context's share
//                  (no async resources are made here, so on Node 20 async_hooks costs nothing)
//   tracelink      traceRequests(handler), lightweight mode: extraction, the child span
//                  context, the context and the mixin's fields
// tracelink's own share is roughly tracelink − ref-fields − (context-only − plain).
//
//   npm run build && node bench/request-path.mjs
//   env: BENCH_ROUNDS (31), BENCH_CALLS (20000),
//        BENCH_BASELINE=<another build's dist/cjs> — adds that build's tracelink row (A/B)
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { runInterleaved, toMarkdown } from './harness.mjs';
import { PARENT_SPAN_ID, REQUEST, RESPONSE, TRACE_ID } from './traced-request.mjs';

const require = createRequire(import.meta.url);
const { ROOT_CONTEXT, context } = require('@opentelemetry/api');
const pino = require('pino');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 31);
const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);
let lastLine = '';
const stream = { write: (line) => (lastLine = line) };

function load(dir) {
  const at = (path) => require(resolve(dir, path));
  const { pinoMixin } = at('src/pino/index.js');
  const logger = pino({ mixin: pinoMixin() }, stream);
  const handler = (req) => logger.info({ path: req.url }, 'handled');
  return { handler, traced: at('src/propagation/index.js').traceRequests(handler) };
}

const current = load(resolve(import.meta.dirname, '../dist/cjs'));
require('../dist/cjs/src/propagation/index.js').setupPropagation();
const fieldsLogger = pino(
  { mixin: () => ({ trace_id: TRACE_ID, span_id: PARENT_SPAN_ID, trace_flags: '01' }) },
  stream,
);
const fieldsHandler = (req) => fieldsLogger.info({ path: req.url }, 'handled');

// Each variant's line checked before timing: ids only where they belong.
current.traced(REQUEST, RESPONSE);
if (!lastLine.includes(`"trace_id":"${TRACE_ID}"`) || lastLine.includes(PARENT_SPAN_ID)) {
  throw new Error(`tracelink's line lacks the caller's trace id or kept its span id: ${lastLine}`);
}
current.handler(REQUEST, RESPONSE);
if (lastLine.includes('trace_id')) throw new Error(`the plain line has trace fields: ${lastLine}`);

const variant = (name, fn) => ({
  name,
  run: (calls) => {
    for (let i = 0; i < calls; i++) fn();
  },
});
const variants = [
  variant('plain', () => current.handler(REQUEST, RESPONSE)),
  variant('ref-fields', () => fieldsHandler(REQUEST, RESPONSE)),
  variant('context-only', () =>
    context.with(ROOT_CONTEXT, current.handler, undefined, REQUEST, RESPONSE),
  ),
  variant('tracelink', () => current.traced(REQUEST, RESPONSE)),
];
if (process.env.BENCH_BASELINE) {
  const before = load(resolve(process.env.BENCH_BASELINE));
  variants.push(variant('tracelink, BENCH_BASELINE build', () => before.traced(REQUEST, RESPONSE)));
}

const results = await runInterleaved({ baseline: 'plain', variants, calls: CALLS, rounds: ROUNDS });
console.log(
  toMarkdown(
    `A traced request in one process (${process.version}, ${ROUNDS} rounds × ${CALLS} calls)`,
    results,
  ),
);
