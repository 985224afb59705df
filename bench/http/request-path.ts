// Request path: a whole traced request's tracing cost, in one process, without the network.
// The handler logs one pino line (to a stream that only keeps it), called directly with a
// request object carrying the http suite's headers (./traced-request.ts). Variants:
//   plain          the handler, no context: the line has no trace fields (pinoMixin adds none)
//   ref-fields     the handler with a mixin of three constant trace fields: the ids' share
//   context-only   the plain handler inside context.with(ROOT_CONTEXT): the context's share
//                  (no async resources are made here, so on Node 20 async_hooks costs nothing)
//   tracelink      traceRequests(handler), lightweight mode: extraction, the child span
//                  context, the context and the mixin's fields
// tracelink's own share is roughly tracelink − ref-fields − (context-only − plain).
//
//   npm run bench -- http   (its second part)
//   env: BENCH_ROUNDS (31), BENCH_CALLS (20000),
//        BENCH_BASELINE=<another build's dist/cjs> — adds that build's tracelink row (A/B)
import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import type * as Api from '@opentelemetry/api';
import type Pino from 'pino';
import type * as PinoEntry from '../../src/pino/index.js';
import type * as PropagationEntry from '../../src/propagation/index.js';
import { DIST, built, knob, load, runInterleaved, toMarkdown } from '../harness.js';
import type { Variant } from '../harness.js';
import { PARENT_SPAN_ID, REQUEST, RESPONSE, TRACE_ID } from './traced-request.js';

const { ROOT_CONTEXT, context } = load<typeof Api>('@opentelemetry/api');
const pino = load<typeof Pino>('pino');

const ROUNDS = knob('BENCH_ROUNDS', 31);
const CALLS = knob('BENCH_CALLS', 20_000);
let lastLine = '';
const stream = { write: (line: string) => void (lastLine = line) };

function loadBuild(dist: string) {
  const { pinoMixin } = built<typeof PinoEntry>('src/pino/index.js', dist);
  const { traceRequests } = built<typeof PropagationEntry>('src/propagation/index.js', dist);
  const logger = pino({ mixin: pinoMixin() }, stream);
  const handler = (req: IncomingMessage, _res: ServerResponse) =>
    logger.info({ path: req.url }, 'handled');
  return { handler, traced: traceRequests(handler) };
}

const current = loadBuild(DIST);
built<typeof PropagationEntry>('src/propagation/index.js').setupPropagation();
const fieldsLogger = pino(
  { mixin: () => ({ trace_id: TRACE_ID, span_id: PARENT_SPAN_ID, trace_flags: '01' }) },
  stream,
);
const fieldsHandler = (req: IncomingMessage, _res: ServerResponse) =>
  fieldsLogger.info({ path: req.url }, 'handled');

// Each variant's line checked before timing: ids only where they belong.
current.traced(REQUEST, RESPONSE);
if (!lastLine.includes(`"trace_id":"${TRACE_ID}"`) || lastLine.includes(PARENT_SPAN_ID)) {
  throw new Error(`tracelink's line lacks the caller's trace id or kept its span id: ${lastLine}`);
}
current.handler(REQUEST, RESPONSE);
if (lastLine.includes('trace_id')) throw new Error(`the plain line has trace fields: ${lastLine}`);

const variant = (name: string, fn: () => void): Variant => ({
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
  const before = loadBuild(resolve(process.env.BENCH_BASELINE));
  variants.push(variant('tracelink, BENCH_BASELINE build', () => before.traced(REQUEST, RESPONSE)));
}

const results = await runInterleaved({ baseline: 'plain', variants, calls: CALLS, rounds: ROUNDS });
console.log(
  toMarkdown(`A traced request in one process (${ROUNDS} rounds × ${CALLS} calls)`, results),
);
