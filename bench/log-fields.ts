// Request-scoped log fields and error spans, in one process, each row against the same logger
// without the feature. A "request" is BENCH_LINES log lines (5) that carry { tenant, orderId }:
//   pino to /dev/null: plain (no fields) · a child logger per request · pinoMixin() without a
//   scope · pinoMixin() + withLogFields per request · pinoMixin() + a child logger per request
//   winston with traceJson() to a discarding stream: no fields · withLogFields per request ·
//   a child logger per request
//   markSpanOnError: a request is an SDK span with BENCH_LINES lines, the last at error level
//   with an Error; pinoMixin() / traceJson() with and without the option
// Each variant's output is checked for the fields (or the marked span) before anything is timed.
//
//   npm run bench -- log-fields
//   env: BENCH_ROUNDS (41), BENCH_REQUESTS (2000), BENCH_LINES (5), BENCH_ONLY=pino|winston|errors
import { Writable } from 'node:stream';
import type * as Api from '@opentelemetry/api';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type Pino from 'pino';
import type * as Tracelink from 'tracelink';
import type * as TracelinkPino from 'tracelink/pino';
import type * as TracelinkWinston from 'tracelink/winston';
import type Winston from 'winston';
import { knob, load, runInterleaved, toMarkdown } from './harness.js';
import type { Variant } from './harness.js';

const { context, createContextKey, trace, SpanStatusCode } = load<typeof Api>('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = load<typeof ContextAsyncHooks>(
  '@opentelemetry/context-async-hooks',
);
const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = load<
  typeof SdkTraceBase
>('@opentelemetry/sdk-trace-base');
const pino = load<typeof Pino>('pino');
const winston = load<typeof Winston>('winston');
const { withLogFields } = load<typeof Tracelink>('tracelink');
const { pinoMixin } = load<typeof TracelinkPino>('tracelink/pino');
const { captureTraceContext, traceJson } = load<typeof TracelinkWinston>('tracelink/winston');

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const provider = new BasicTracerProvider();
trace.setGlobalTracerProvider(provider);
const tracer = trace.getTracer('bench');

const ROUNDS = knob('BENCH_ROUNDS', 41);
const REQUESTS = knob('BENCH_REQUESTS', 2000);
const LINES = knob('BENCH_LINES', 5);
const only = process.env.BENCH_ONLY;

interface Line {
  tenant?: string;
  orderId?: number;
}
type Log = (fields: { n: number }, message: string) => void;
/** One request: its fields, and a logger that logs a line of it. */
type Request = (tenant: string, orderId: number, lines: (log: Log) => void) => void;

const TENANTS = ['acme', 'globex', 'initech', 'umbrella'];
const devNull = () => pino.destination({ dest: '/dev/null', sync: true });
const discard = () => new Writable({ write: (_c, _e, cb) => cb() });

function linesOf(log: Log): void {
  for (let i = 0; i < LINES; i++) log({ n: i }, 'handling the request');
}

/** Variants from request makers; each is checked first for the fields its lines must carry. */
function variants(
  rows: Record<string, (dest: Pino.DestinationStream | Writable) => Request>,
  withFields: (name: string) => boolean,
  check: () => Pino.DestinationStream | Writable,
  checked: () => Line[],
  realDest: () => Pino.DestinationStream | Writable,
): Variant[] {
  return Object.entries(rows).map(([name, make]) => {
    const dest = check();
    make(dest)('acme', 7, linesOf);
    const line = checked()[0];
    const has = line?.tenant === 'acme' && line.orderId === 7;
    if (has !== withFields(name))
      throw new Error(`${name}: wrong fields in ${JSON.stringify(line)}`);
    const request = make(realDest());
    return {
      name,
      run: (calls) => {
        for (let i = 0; i < calls; i++) request(TENANTS[i & 3], i, linesOf);
      },
    };
  });
}

const FIELDS = createContextKey('bench request fields');
interface RequestFields {
  tenant: string;
  orderId: number;
}

function pinoVariants(): Variant[] {
  const asLog =
    (logger: Pino.Logger): Log =>
    (o, m) =>
      logger.info(o, m);
  const rows: Record<string, (dest: Pino.DestinationStream) => Request> = {
    'plain pino (no fields)': (dest) => {
      const logger = pino({}, dest);
      return (_t, _o, lines) => lines(asLog(logger));
    },
    'pino, a child logger per request': (dest) => {
      const logger = pino({}, dest);
      return (tenant, orderId, lines) => lines(asLog(logger.child({ tenant, orderId })));
    },
    'pino + pinoMixin(), no scope (no fields)': (dest) => {
      const logger = pino({ mixin: pinoMixin() }, dest);
      return (_t, _o, lines) => lines(asLog(logger));
    },
    'pino + pinoMixin() + withLogFields per request': (dest) => {
      const logger = pino({ mixin: pinoMixin() }, dest);
      const log = asLog(logger);
      return (tenant, orderId, lines) => withLogFields({ tenant, orderId }, lines, log);
    },
    'pino + pinoMixin(), a child logger per request': (dest) => {
      const logger = pino({ mixin: pinoMixin() }, dest);
      return (tenant, orderId, lines) => lines(asLog(logger.child({ tenant, orderId })));
    },
    // The floor of any design that keeps a request's fields in its context and writes them
    // through a mixin: one context per request (AsyncLocalStorage) holding the fields, and a
    // mixin that copies them onto each line (pino assigns the line's fields into the object a
    // mixin returns, so it must be a fresh one) — no checks, no merging, no trace fields.
    'ref: pino + a mixin copying two fields from the context (the floor)': (dest) => {
      const logger = pino(
        {
          mixin: () => {
            const f = context.active().getValue(FIELDS) as RequestFields | undefined;
            return f === undefined ? {} : { tenant: f.tenant, orderId: f.orderId };
          },
        },
        dest,
      );
      const log = asLog(logger);
      return (tenant, orderId, lines) =>
        context.with(context.active().setValue(FIELDS, { tenant, orderId }), lines, undefined, log);
    },
  };
  let lines: Line[] = [];
  return variants(
    rows,
    (name) => !name.includes('no fields'),
    () => {
      lines = [];
      return { write: (s: string) => void lines.push(JSON.parse(s) as Line) };
    },
    () => lines,
    devNull,
  );
}

function winstonLogger(stream: Writable, options: Parameters<typeof traceJson>[0] = {}) {
  return captureTraceContext(
    winston.createLogger({
      format: traceJson(options),
      transports: [new winston.transports.Stream({ stream })],
    }),
  );
}

function winstonVariants(): Variant[] {
  const asLog =
    (logger: Winston.Logger): Log =>
    (o, m) =>
      logger.info(m, o);
  const rows: Record<string, (dest: Writable) => Request> = {
    'winston traceJson(), no scope (no fields)': (dest) => {
      const logger = winstonLogger(dest);
      return (_t, _o, lines) => lines(asLog(logger));
    },
    'winston traceJson() + withLogFields per request': (dest) => {
      const log = asLog(winstonLogger(dest));
      return (tenant, orderId, lines) => withLogFields({ tenant, orderId }, lines, log);
    },
    'winston traceJson(), a child logger per request': (dest) => {
      const logger = winstonLogger(dest);
      return (tenant, orderId, lines) => lines(asLog(logger.child({ tenant, orderId })));
    },
  };
  let lines: Line[] = [];
  return variants(
    rows as Record<string, (dest: Pino.DestinationStream | Writable) => Request>,
    (name) => !name.includes('no fields'),
    () => {
      lines = [];
      return new Writable({
        write: (c: Buffer, _e, cb) => (lines.push(JSON.parse(c.toString()) as Line), cb()),
      });
    },
    () => lines,
    discard,
  );
}

/** A request in an SDK span: LINES - 1 info lines and an error line logging an Error. */
function errorRequest(tracer: Api.Tracer, info: () => void, error: (e: Error) => void): () => void {
  const failure = new Error('card declined');
  return () =>
    tracer.startActiveSpan('request', (span) => {
      for (let i = 1; i < LINES; i++) info();
      error(failure);
      span.end();
    });
}

function errorVariants(): Variant[] {
  const rows: Record<
    string,
    (marking: boolean, dest: Writable | Pino.DestinationStream, tracer: Api.Tracer) => () => void
  > = {
    pino: (marking, dest, tracer) => {
      const logger = pino({ mixin: pinoMixin({ markSpanOnError: marking }) }, dest);
      return errorRequest(
        tracer,
        () => logger.info({ n: 1 }, 'handling'),
        (e) => logger.error(e, 'failed'),
      );
    },
    'winston traceJson()': (marking, dest, tracer) => {
      const logger = winstonLogger(dest as Writable, { markSpanOnError: marking });
      return errorRequest(
        tracer,
        () => logger.info('handling', { n: 1 }),
        (e) => logger.error('failed', { error: e }),
      );
    },
  };
  const result: Variant[] = [];
  for (const [logger, make] of Object.entries(rows)) {
    for (const marking of [false, true]) {
      // Checked on a span that is exported: marked exactly when the option is on.
      const exporter = new InMemorySpanExporter();
      const checking = new BasicTracerProvider({
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      });
      make(marking, logger === 'pino' ? devNull() : discard(), checking.getTracer('check'))();
      const status = exporter.getFinishedSpans()[0]?.status.code;
      if ((status === SpanStatusCode.ERROR) !== marking) {
        throw new Error(`${logger} markSpanOnError ${marking}: span status ${status}`);
      }
      const run = make(marking, logger === 'pino' ? devNull() : discard(), tracer);
      result.push({
        name: `${logger}${marking ? ' + markSpanOnError' : ''}`,
        run: (calls) => {
          for (let i = 0; i < calls; i++) run();
        },
      });
    }
  }
  return result;
}

const tables: string[] = [];
if (only === undefined || only === 'pino') {
  const results = await runInterleaved({
    baseline: 'plain pino (no fields)',
    variants: pinoVariants(),
    calls: REQUESTS,
    rounds: ROUNDS,
  });
  tables.push(toMarkdown(`pino, ${LINES} lines per request (ns per request)`, results));
}
if (only === undefined || only === 'winston') {
  const results = await runInterleaved({
    baseline: 'winston traceJson(), no scope (no fields)',
    variants: winstonVariants(),
    calls: REQUESTS / 2,
    rounds: ROUNDS,
  });
  tables.push(toMarkdown(`winston, ${LINES} lines per request (ns per request)`, results));
}
if (only === undefined || only === 'errors') {
  const all = errorVariants();
  for (const logger of ['pino', 'winston traceJson()']) {
    const results = await runInterleaved({
      baseline: logger,
      variants: all.filter((v) => v.name.startsWith(logger)),
      calls: REQUESTS / 2,
      rounds: ROUNDS,
    });
    tables.push(
      toMarkdown(
        `markSpanOnError, ${logger}: an SDK span per request, ${LINES} lines, the last an error (ns per request)`,
        results,
      ),
    );
  }
}
console.log(
  `${ROUNDS} interleaved rounds of ${REQUESTS} requests (winston and markSpanOnError: ` +
    `${REQUESTS / 2}); a request logs ${LINES} lines carrying { tenant, orderId }. pino to ` +
    `/dev/null (sync destination), winston to a discarding stream, each round timed until ` +
    `winston's deferred work has run. AsyncLocalStorage context manager; no active span except ` +
    `in the markSpanOnError tables (BasicTracerProvider, no span processor).\n`,
);
for (const table of tables) console.log(table);
await provider.shutdown();
