// Correlation benchmark (issue: correlation). Every call runs inside an active span.
//   pino to /dev/null: plain · pinoMixin() · @opentelemetry/instrumentation-pino · pinoSpanLogger
//   winston with format.json() to a discarding stream: plain · traceFormat · instrumentation-winston
//   · traceJson (ids included)
// Reference rows: a mixin returning three constant fields; the ids passed by hand.
//
//   npm run bench            (builds, then: node --expose-gc bench/correlation.mjs)
//
// Each variant's output is checked for correct ids before anything is timed.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { runInterleaved, toMarkdown } from './harness.mjs';

const require = createRequire(import.meta.url);
const { context, trace } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');

// Load pino and winston before any instrumentation so the plain rows stay unpatched.
const plainPino = require('pino');
const winston = require('winston');
const { PinoInstrumentation } = require('@opentelemetry/instrumentation-pino');
const { WinstonInstrumentation } = require('@opentelemetry/instrumentation-winston');
const { pinoMixin, pinoSpanLogger } = require('tracelink/pino');
const { captureTraceContext, traceFormat, traceJson } = require('tracelink/winston');

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const provider = new BasicTracerProvider();
trace.setGlobalTracerProvider(provider);
const tracer = trace.getTracer('bench');

const pinoInstrumentation = new PinoInstrumentation({ disableLogSending: true });
delete require.cache[require.resolve('pino')];
const instrumentedPino = require('pino');
// instrumentation-winston patches Logger.prototype.write: give it a second copy of winston,
// so the other rows keep an unpatched prototype.
new WinstonInstrumentation({ disableLogSending: true });
for (const file of Object.keys(require.cache)) {
  if (file.includes('/node_modules/winston/')) delete require.cache[file];
}
const instrumentedWinston = require('winston');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 61);
const PINO_CALLS = Number(process.env.BENCH_PINO_CALLS ?? 10_000);
const WINSTON_CALLS = Number(process.env.BENCH_WINSTON_CALLS ?? 5_000);

/** A line-capturing sink for the correctness check, and the timing sink. */
function captureSink() {
  const lines = [];
  return { lines, write: (s) => lines.push(JSON.parse(s)) };
}
const devNull = () => plainPino.destination({ dest: '/dev/null', sync: true });
const discard = () => new Writable({ write: (_c, _e, cb) => cb() });

function verify(name, line, span) {
  const sc = span.spanContext();
  if (line?.trace_id !== sc.traceId || line?.span_id !== sc.spanId || line?.trace_flags !== '01') {
    throw new Error(`${name}: wrong or missing ids in ${JSON.stringify(line)}`);
  }
}

function pinoVariants(span) {
  const sc = span.spanContext();
  const ids = { trace_id: sc.traceId, span_id: sc.spanId, trace_flags: '01' };
  const make = {
    'plain pino': (dest) => plainPino({}, dest),
    'pino + pinoMixin()': (dest) => plainPino({ mixin: pinoMixin() }, dest),
    // Options passed explicitly: the instrumentation's wrapper loses the one-argument pino(stream) form.
    'pino + instrumentation-pino': (dest) => instrumentedPino({}, dest),
    'pino + pinoSpanLogger (fast path)': (dest) => {
      const log = pinoSpanLogger(plainPino({}, dest));
      return { info: (o, m) => log().info(o, m) };
    },
    // Object literals, not spreads: a spread copy is measurably slower for pino to extend.
    'ref: mixin returning three constant fields': (dest) =>
      plainPino(
        {
          mixin: () => ({
            trace_id: ids.trace_id,
            span_id: ids.span_id,
            trace_flags: ids.trace_flags,
          }),
        },
        dest,
      ),
    'ref: ids passed by hand': (dest) => {
      const logger = plainPino({}, dest);
      const { trace_id, span_id, trace_flags } = ids;
      return { info: (o, m) => logger.info({ n: o.n, trace_id, span_id, trace_flags }, m) };
    },
  };
  return Object.entries(make).map(([name, factory]) => {
    if (name !== 'plain pino') {
      const sink = captureSink();
      factory(sink).info({ n: 1 }, 'check');
      verify(name, sink.lines[0], span);
    }
    const logger = factory(devNull());
    return {
      name,
      run: (calls) => {
        for (let i = 0; i < calls; i++) logger.info({ n: i }, 'hello world');
      },
    };
  });
}

function winstonLogger(format, stream, w = winston) {
  return w.createLogger({ format, transports: [new w.transports.Stream({ stream })] });
}

function winstonVariants(span) {
  const { combine, json } = winston.format;
  const sc = span.spanContext();
  const ids = { trace_id: sc.traceId, span_id: sc.spanId, trace_flags: '01' };
  const rows = [
    { name: 'plain winston json()', make: (s) => winstonLogger(json(), s) },
    {
      name: 'winston + traceFormat + json()',
      make: (s) => captureTraceContext(winstonLogger(combine(traceFormat(), json()), s)),
    },
    {
      name: 'winston + instrumentation-winston + json()',
      make: (s) => winstonLogger(json(), s, instrumentedWinston),
    },
    {
      name: 'winston traceJson() (ids included)',
      make: (s) => captureTraceContext(winstonLogger(traceJson(), s)),
    },
    {
      name: 'ref: ids passed by hand + json()',
      make: (s) => {
        const logger = winstonLogger(json(), s);
        return { info: (m, meta) => logger.info(m, { ...meta, ...ids }) };
      },
    },
  ];
  return rows.map(({ name, make }) => {
    const lines = [];
    const check = new Writable({
      write: (c, _e, cb) => (lines.push(JSON.parse(c.toString())), cb()),
    });
    make(check).info('check', { n: 1 });
    if (name !== 'plain winston json()') verify(name, lines[0], span);
    else if ('trace_id' in lines[0]) throw new Error('plain winston row is patched');
    const logger = make(discard());
    return {
      name,
      run: (calls) => {
        for (let i = 0; i < calls; i++) logger.info('hello world', { n: i });
      },
    };
  });
}

const versions = [
  'pino',
  'winston',
  'logform',
  '@opentelemetry/api',
  '@opentelemetry/instrumentation-pino',
  '@opentelemetry/instrumentation-winston',
]
  .map(
    (name) =>
      `${name} ${JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url))).version}`,
  )
  .join(', ');

const only = process.env.BENCH_ONLY; // 'pino' or 'winston' to run one half
await tracer.startActiveSpan('bench', async (span) => {
  const pinoResults =
    only === 'winston'
      ? []
      : await runInterleaved({
          title: 'pino',
          baseline: 'plain pino',
          variants: pinoVariants(span),
          calls: PINO_CALLS,
          rounds: ROUNDS,
        });
  const winstonResults =
    only === 'pino'
      ? []
      : await runInterleaved({
          title: 'winston',
          baseline: 'plain winston json()',
          variants: winstonVariants(span),
          calls: WINSTON_CALLS,
          rounds: ROUNDS,
        });
  span.end();
  console.log(`Node ${process.version}, ${versions}`);
  console.log(
    `${ROUNDS} interleaved rounds; pino ${PINO_CALLS} calls/round to /dev/null (sync destination); winston ${WINSTON_CALLS} calls/round to a discarding stream\n`,
  );
  if (pinoResults.length) console.log(toMarkdown('pino (inside an active span)', pinoResults));
  if (winstonResults.length)
    console.log(toMarkdown('winston (inside an active span)', winstonResults));
});
await provider.shutdown();
