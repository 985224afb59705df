// Trace-aware logging, in one process, lightweight mode (a context manager, no tracing SDK):
//   buffering: one unit of work = a withConsumerSpan with 10 debug lines and 1 info line (and 1
//   error line in the "fails" rows), each row the same logger with and without the buffer;
//   sampling: one call = one debug line inside an unsampled (or sampled) trace, the same logger
//   with and without trace-based sampling.
// pino writes to /dev/null (sync destination), winston to a discarding stream through json().
// Each variant's output is checked (what it wrote, what it counted) before anything is timed.
//
//   npm run bench -- trace-aware
//   env: BENCH_ROUNDS (31), BENCH_UNITS (2000), BENCH_LINES (20000), BENCH_ONLY=pino|winston
import { Writable } from 'node:stream';
import type * as Api from '@opentelemetry/api';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';
import type Pino from 'pino';
import type * as TracelinkPino from 'tracelink/pino';
import type * as TracelinkPropagation from 'tracelink/propagation';
import type * as TracelinkWinston from 'tracelink/winston';
import type Winston from 'winston';
import { knob, load, runInterleaved, toMarkdown } from './harness.js';
import type { Variant } from './harness.js';

const { context, trace, TraceFlags } = load<typeof Api>('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = load<typeof ContextAsyncHooks>(
  '@opentelemetry/context-async-hooks',
);
const pino = load<typeof Pino>('pino');
const winston = load<typeof Winston>('winston');
const { pinoTraceBuffer, pinoTraceSampling } = load<typeof TracelinkPino>('tracelink/pino');
const { winstonTraceBuffer, winstonTraceSampling } =
  load<typeof TracelinkWinston>('tracelink/winston');
const { withConsumerSpan } = load<typeof TracelinkPropagation>('tracelink/propagation');

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const ROUNDS = knob('BENCH_ROUNDS', 31);
const UNITS = knob('BENCH_UNITS', 2000);
const LINES = knob('BENCH_LINES', 20_000);
const DEBUG_LINES = 10;
const only = process.env.BENCH_ONLY;

interface Logger {
  debug(message: string, n: number): void;
  info(message: string, n: number): void;
  error(message: string, n: number): void;
}

const CONSUMER = { system: 'kafka', destination: 'orders' };
function unitOfWork(logger: Logger, n: number, fails: boolean): void {
  withConsumerSpan(CONSUMER, undefined, () => {
    for (let i = 0; i < DEBUG_LINES; i++) logger.debug('step done', i);
    logger.info('message handled', n);
    if (fails) logger.error('message failed', n);
  });
}

function check(name: string, written: number, expected: number): void {
  if (written !== expected) throw new Error(`${name}: wrote ${written} lines, not ${expected}`);
}

// ---- pino ------------------------------------------------------------------------------------

const devNull = () => pino.destination({ dest: '/dev/null', sync: true });

/** A destination counting what reaches it, in front of /dev/null. */
function counting(): { write(line: string): void; lines: number } {
  const inner = devNull();
  return {
    lines: 0,
    write(line: string) {
      this.lines++;
      inner.write(line);
    },
  };
}

function pinoBufferVariants(): Variant[] {
  const rows: { name: string; level: string; buffered: boolean; fails: boolean; lines: number }[] =
    [
      { name: 'pino writes every line', level: 'debug', buffered: false, fails: false, lines: 11 },
      {
        name: 'pinoTraceBuffer, ends cleanly (10 held, discarded)',
        level: 'debug',
        buffered: true,
        fails: false,
        lines: 1,
      },
      {
        name: 'ref: level info (debug lines not logged at all)',
        level: 'info',
        buffered: false,
        fails: false,
        lines: 1,
      },
      {
        name: 'pino writes every line, with an error line',
        level: 'debug',
        buffered: false,
        fails: true,
        lines: 12,
      },
      {
        name: 'pinoTraceBuffer, fails (10 held, then written)',
        level: 'debug',
        buffered: true,
        fails: true,
        lines: 12,
      },
    ];
  return rows.map((row) => {
    const make = (destination: { write(line: string): void }) => {
      const out = row.buffered ? pinoTraceBuffer(destination) : destination;
      const logger = pino({ level: row.level }, out);
      return {
        debug: (m: string, n: number) => logger.debug({ n }, m),
        info: (m: string, n: number) => logger.info({ n }, m),
        error: (m: string, n: number) => logger.error({ n }, m),
      };
    };
    const probe = counting();
    unitOfWork(make(probe), 0, row.fails);
    check(row.name, probe.lines, row.lines);
    const logger = make(devNull());
    return {
      name: row.name,
      run: (calls) => {
        for (let i = 0; i < calls; i++) unitOfWork(logger, i, row.fails);
      },
    };
  });
}

const UNSAMPLED = trace.setSpanContext(context.active(), {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.NONE,
});
const SAMPLED = trace.setSpanContext(context.active(), {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
});

function pinoSamplingVariants(): Variant[] {
  const rows = [
    { name: 'pino writes the line (unsampled trace)', sampling: false, ctx: UNSAMPLED, lines: 1 },
    {
      name: 'pinoTraceSampling drops it (unsampled trace)',
      sampling: true,
      ctx: UNSAMPLED,
      lines: 0,
    },
    { name: 'pino writes the line (sampled trace)', sampling: false, ctx: SAMPLED, lines: 1 },
    { name: 'pinoTraceSampling keeps it (sampled trace)', sampling: true, ctx: SAMPLED, lines: 1 },
  ];
  return rows.map((row) => {
    const make = (destination: { write(line: string): void }) => {
      const hooks = row.sampling ? { logMethod: pinoTraceSampling().logMethod } : {};
      return pino({ level: 'debug', hooks }, destination);
    };
    const probe = counting();
    const probeLogger = make(probe);
    context.with(row.ctx, () => probeLogger.debug({ n: 0 }, 'cache miss'));
    check(row.name, probe.lines, row.lines);
    const logger = make(devNull());
    const loop = (calls: number) => {
      for (let i = 0; i < calls; i++) logger.debug({ n: i }, 'cache miss');
    };
    return { name: row.name, run: (calls) => context.with(row.ctx, loop, undefined, calls) };
  });
}

// ---- winston ---------------------------------------------------------------------------------

function winstonLogger(sink: Writable): Winston.Logger {
  return winston.createLogger({
    level: 'debug',
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream: sink })],
  });
}
function sink(counter?: { lines: number }): Writable {
  return new Writable({
    write: (_c, _e, cb) => {
      if (counter !== undefined) counter.lines++;
      cb();
    },
  });
}
const drained = () => new Promise((resolve) => setImmediate(resolve));

async function winstonBufferVariants(): Promise<Variant[]> {
  const rows = [
    { name: 'winston writes every record', buffered: false, fails: false, lines: 11 },
    {
      name: 'winstonTraceBuffer, ends cleanly (10 held, discarded)',
      buffered: true,
      fails: false,
      lines: 1,
    },
    {
      name: 'winston writes every record, with an error record',
      buffered: false,
      fails: true,
      lines: 12,
    },
    {
      name: 'winstonTraceBuffer, fails (10 held, then written)',
      buffered: true,
      fails: true,
      lines: 12,
    },
  ];
  const variants: Variant[] = [];
  for (const row of rows) {
    const make = (out: Writable): Logger => {
      const logger = winstonLogger(out);
      if (row.buffered) winstonTraceBuffer(logger);
      return {
        debug: (m, n) => logger.debug(m, { n }),
        info: (m, n) => logger.info(m, { n }),
        error: (m, n) => logger.error(m, { n }),
      };
    };
    const counter = { lines: 0 };
    unitOfWork(make(sink(counter)), 0, row.fails);
    await drained();
    check(row.name, counter.lines, row.lines);
    const logger = make(sink());
    variants.push({
      name: row.name,
      run: (calls) => {
        for (let i = 0; i < calls; i++) unitOfWork(logger, i, row.fails);
      },
    });
  }
  return variants;
}

async function winstonSamplingVariants(): Promise<Variant[]> {
  const rows = [
    {
      name: 'winston writes the record (unsampled trace)',
      sampling: false,
      ctx: UNSAMPLED,
      lines: 1,
    },
    {
      name: 'winstonTraceSampling drops it (unsampled trace)',
      sampling: true,
      ctx: UNSAMPLED,
      lines: 0,
    },
    { name: 'winston writes the record (sampled trace)', sampling: false, ctx: SAMPLED, lines: 1 },
    {
      name: 'winstonTraceSampling keeps it (sampled trace)',
      sampling: true,
      ctx: SAMPLED,
      lines: 1,
    },
  ];
  const variants: Variant[] = [];
  for (const row of rows) {
    const make = (out: Writable) => {
      const logger = winstonLogger(out);
      if (row.sampling) winstonTraceSampling(logger);
      return logger;
    };
    const counter = { lines: 0 };
    const probe = make(sink(counter));
    context.with(row.ctx, () => probe.debug('cache miss', { n: 0 }));
    await drained();
    check(row.name, counter.lines, row.lines);
    const logger = make(sink());
    const loop = (calls: number) => {
      for (let i = 0; i < calls; i++) logger.debug('cache miss', { n: i });
    };
    variants.push({
      name: row.name,
      run: (calls) => context.with(row.ctx, loop, undefined, calls),
    });
  }
  return variants;
}

// ---- run -------------------------------------------------------------------------------------

const tables: string[] = [];
if (only !== 'winston') {
  const buffer = await runInterleaved({
    baseline: 'pino writes every line',
    variants: pinoBufferVariants(),
    calls: UNITS,
    rounds: ROUNDS,
  });
  tables.push(
    toMarkdown('pino: buffer per trace (ns per unit of work of 10 debug + 1 info lines)', buffer),
  );
  const sampling = await runInterleaved({
    baseline: 'pino writes the line (unsampled trace)',
    variants: pinoSamplingVariants(),
    calls: LINES,
    rounds: ROUNDS,
  });
  tables.push(toMarkdown('pino: trace-based sampling (ns per debug line)', sampling));
}
if (only !== 'pino') {
  const buffer = await runInterleaved({
    baseline: 'winston writes every record',
    variants: await winstonBufferVariants(),
    calls: Math.max(1, Math.floor(UNITS / 2)),
    rounds: ROUNDS,
  });
  tables.push(
    toMarkdown(
      'winston: buffer per trace (ns per unit of work of 10 debug + 1 info records)',
      buffer,
    ),
  );
  const sampling = await runInterleaved({
    baseline: 'winston writes the record (unsampled trace)',
    variants: await winstonSamplingVariants(),
    calls: Math.max(1, Math.floor(LINES / 2)),
    rounds: ROUNDS,
  });
  tables.push(toMarkdown('winston: trace-based sampling (ns per debug record)', sampling));
}
console.log(
  `${ROUNDS} interleaved rounds, lightweight mode (no tracing SDK). A unit of work is one ` +
    `withConsumerSpan; pino ${UNITS} units or ${LINES} lines a round to /dev/null (sync destination), ` +
    `winston half as many to a discarding stream through json(), each round timed until ` +
    `winston's deferred work has run. Every row runs with the suite's buffers listening for ` +
    `request ends.\n`,
);
console.log(tables.join('\n'));
