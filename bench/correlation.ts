// Correlation, in one process, every call inside an active span:
//   pino to /dev/null: plain · pinoMixin() · @opentelemetry/instrumentation-pino · pinoSpanLogger
//   winston with format.json() to a discarding stream: plain · traceFormat ·
//   instrumentation-winston · traceJson (ids included)
// Reference rows: a mixin returning three constant fields; the ids passed by hand.
// Each variant's output is checked for the right ids before anything is timed.
//
//   npm run bench -- correlation
//   env: BENCH_ROUNDS (61), BENCH_PINO_CALLS (10000), BENCH_WINSTON_CALLS (5000),
//        BENCH_ONLY=pino|winston (one half)
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import type * as Api from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';
import type * as InstrumentationPino from '@opentelemetry/instrumentation-pino';
import type * as InstrumentationWinston from '@opentelemetry/instrumentation-winston';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type Pino from 'pino';
import type * as TracelinkPino from 'tracelink/pino';
import type * as TracelinkWinston from 'tracelink/winston';
import type Winston from 'winston';
import type { Logform } from 'winston';
import { knob, load, runInterleaved, toMarkdown } from './harness.js';
import type { Variant } from './harness.js';

const { context, trace } = load<typeof Api>('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = load<typeof ContextAsyncHooks>(
  '@opentelemetry/context-async-hooks',
);
const { BasicTracerProvider } = load<typeof SdkTraceBase>('@opentelemetry/sdk-trace-base');

// Load pino and winston before any instrumentation so the plain rows stay unpatched.
const plainPino = load<typeof Pino>('pino');
const winston = load<typeof Winston>('winston');
const { PinoInstrumentation } = load<typeof InstrumentationPino>(
  '@opentelemetry/instrumentation-pino',
);
const { WinstonInstrumentation } = load<typeof InstrumentationWinston>(
  '@opentelemetry/instrumentation-winston',
);
const { pinoMixin, pinoSpanLogger } = load<typeof TracelinkPino>('tracelink/pino');
const { captureTraceContext, traceFormat, traceJson } =
  load<typeof TracelinkWinston>('tracelink/winston');

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const provider = new BasicTracerProvider();
trace.setGlobalTracerProvider(provider);
const tracer = trace.getTracer('bench');

// The instrumentation patches the next pino loaded: a second copy, so the other rows keep theirs.
const require = createRequire(import.meta.url);
new PinoInstrumentation({ disableLogSending: true });
delete require.cache[require.resolve('pino')];
const instrumentedPino = load<typeof Pino>('pino');
// instrumentation-winston patches Logger.prototype.write: a second copy of winston too.
new WinstonInstrumentation({ disableLogSending: true });
for (const file of Object.keys(require.cache)) {
  if (file.includes('/node_modules/winston/')) delete require.cache[file];
}
const instrumentedWinston = load<typeof Winston>('winston');

const ROUNDS = knob('BENCH_ROUNDS', 61);
const PINO_CALLS = knob('BENCH_PINO_CALLS', 10_000);
const WINSTON_CALLS = knob('BENCH_WINSTON_CALLS', 5_000);

interface Line {
  trace_id?: string;
  span_id?: string;
  trace_flags?: string;
}
type PinoLike = { info: (o: { n: number }, m: string) => void };
type WinstonLike = { info: (m: string, meta: { n: number }) => void };

const devNull = () => plainPino.destination({ dest: '/dev/null', sync: true });
const discard = () => new Writable({ write: (_c, _e, cb) => cb() });

function verify(name: string, line: Line | undefined, span: Span): void {
  const sc = span.spanContext();
  if (line?.trace_id !== sc.traceId || line?.span_id !== sc.spanId || line?.trace_flags !== '01') {
    throw new Error(`${name}: wrong or missing ids in ${JSON.stringify(line)}`);
  }
}

function pinoVariants(span: Span): Variant[] {
  const sc = span.spanContext();
  const ids = { trace_id: sc.traceId, span_id: sc.spanId, trace_flags: '01' };
  const make: Record<string, (dest: Pino.DestinationStream) => PinoLike> = {
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
      const lines: Line[] = [];
      factory({ write: (s) => void lines.push(JSON.parse(s) as Line) }).info({ n: 1 }, 'check');
      verify(name, lines[0], span);
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

function winstonLogger(format: Logform.Format, stream: Writable, w = winston): Winston.Logger {
  return w.createLogger({ format, transports: [new w.transports.Stream({ stream })] });
}

function winstonVariants(span: Span): Variant[] {
  const { combine, json } = winston.format;
  const sc = span.spanContext();
  const ids = { trace_id: sc.traceId, span_id: sc.spanId, trace_flags: '01' };
  const rows: { name: string; make: (s: Writable) => WinstonLike }[] = [
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
    const lines: Line[] = [];
    const check = new Writable({
      write: (c: Buffer, _e, cb) => (lines.push(JSON.parse(c.toString()) as Line), cb()),
    });
    make(check).info('check', { n: 1 });
    if (name !== 'plain winston json()') verify(name, lines[0], span);
    else if (lines[0] !== undefined && 'trace_id' in lines[0]) {
      throw new Error('plain winston row is patched');
    }
    const logger = make(discard());
    return {
      name,
      run: (calls) => {
        for (let i = 0; i < calls; i++) logger.info('hello world', { n: i });
      },
    };
  });
}

const only = process.env.BENCH_ONLY; // 'pino' or 'winston' to run one half
await tracer.startActiveSpan('bench', async (span) => {
  const pinoResults =
    only === 'winston'
      ? []
      : await runInterleaved({
          baseline: 'plain pino',
          variants: pinoVariants(span),
          calls: PINO_CALLS,
          rounds: ROUNDS,
        });
  const winstonResults =
    only === 'pino'
      ? []
      : await runInterleaved({
          baseline: 'plain winston json()',
          variants: winstonVariants(span),
          calls: WINSTON_CALLS,
          rounds: ROUNDS,
        });
  span.end();
  console.log(
    `${ROUNDS} interleaved rounds; pino ${PINO_CALLS} calls a round to /dev/null (sync destination); ` +
      `winston ${WINSTON_CALLS} calls a round to a discarding stream, each round timed until ` +
      `winston's deferred work has run. Every call inside an active span; instrumentation-pino ` +
      `and -winston with \`disableLogSending: true\` (correlation only).\n`,
  );
  if (pinoResults.length) console.log(toMarkdown('pino (inside an active span)', pinoResults));
  if (winstonResults.length) {
    console.log(toMarkdown('winston (inside an active span)', winstonResults));
  }
});
await provider.shutdown();
