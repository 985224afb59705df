// The in-process mode (tracelink/otel-logs), in one process, every call inside an active span,
// all rows emitting to the same registered LoggerProvider and processor:
//   pino: plain to /dev/null · → pinoOtelLogsDestination() · /dev/null and the destination
//         (pino.multistream) · @opentelemetry/instrumentation-pino log sending (/dev/null and
//         its OTelPinoStream)
//   winston: json() to a discarding stream · → WinstonOtelLogsTransport · both · instrumentation-
//         winston log sending (the stream and its OpenTelemetryTransportV3)
// Each row's emits are checked (one record per call) before anything is timed.
//
//   npm run bench -- otel-logs
//   env: BENCH_ROUNDS (41), BENCH_PINO_CALLS (10000), BENCH_WINSTON_CALLS (5000),
//        BENCH_PROCESSOR=count (a processor that counts) | batch (BatchLogRecordProcessor) |
//        queued (QueuedLogRecordProcessor), both with an exporter that discards
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import type * as Api from '@opentelemetry/api';
import type * as ApiLogs from '@opentelemetry/api-logs';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';
import type * as InstrumentationPino from '@opentelemetry/instrumentation-pino';
import type * as InstrumentationWinston from '@opentelemetry/instrumentation-winston';
import type * as SdkLogs from '@opentelemetry/sdk-logs';
import type { LogRecordExporter, LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type Pino from 'pino';
import type * as TracelinkOtelLogs from 'tracelink/otel-logs';
import type * as TracelinkPino from 'tracelink/pino';
import type Winston from 'winston';
import { knob, load, runInterleaved, toMarkdown } from './harness.js';
import type { Variant } from './harness.js';

const { context, trace } = load<typeof Api>('@opentelemetry/api');
const { logs } = load<typeof ApiLogs>('@opentelemetry/api-logs');
const { AsyncLocalStorageContextManager } = load<typeof ContextAsyncHooks>(
  '@opentelemetry/context-async-hooks',
);
const { BasicTracerProvider } = load<typeof SdkTraceBase>('@opentelemetry/sdk-trace-base');
const { LoggerProvider, BatchLogRecordProcessor } = load<typeof SdkLogs>('@opentelemetry/sdk-logs');

// Load pino and winston before any instrumentation so the other rows stay unpatched.
const pino = load<typeof Pino>('pino');
const winston = load<typeof Winston>('winston');
const { PinoInstrumentation } = load<typeof InstrumentationPino>(
  '@opentelemetry/instrumentation-pino',
);
const { WinstonInstrumentation } = load<typeof InstrumentationWinston>(
  '@opentelemetry/instrumentation-winston',
);
const { pinoOtelLogsDestination, WinstonOtelLogsTransport, QueuedLogRecordProcessor } =
  load<typeof TracelinkOtelLogs>('tracelink/otel-logs');
const { pinoMixin } = load<typeof TracelinkPino>('tracelink/pino');

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new BasicTracerProvider();
trace.setGlobalTracerProvider(tracerProvider);

// The same processor behind every row.
let emitted = 0;
const discarding: LogRecordExporter = {
  export: (_records, done) => done({ code: 0 }),
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};
const PROCESSOR = process.env.BENCH_PROCESSOR ?? 'count';
const inner: LogRecordProcessor | undefined =
  PROCESSOR === 'batch'
    ? new BatchLogRecordProcessor({ exporter: discarding })
    : PROCESSOR === 'queued'
      ? new QueuedLogRecordProcessor({ exporter: discarding, maxBufferedBytes: 1 << 30 })
      : undefined;
const processor: LogRecordProcessor = {
  onEmit: (record, ctx) => {
    emitted++;
    inner?.onEmit(record, ctx);
  },
  forceFlush: () => inner?.forceFlush() ?? Promise.resolve(),
  shutdown: () => inner?.shutdown() ?? Promise.resolve(),
};
const loggerProvider = new LoggerProvider({ processors: [processor] });
logs.setGlobalLoggerProvider(loggerProvider);

// The instrumentations patch the next pino and winston loaded (log sending on, their default).
const require = createRequire(import.meta.url);
new PinoInstrumentation();
delete require.cache[require.resolve('pino')];
const instrumentedPino = load<typeof Pino>('pino');
new WinstonInstrumentation();
for (const file of Object.keys(require.cache)) {
  if (file.includes('/node_modules/winston/')) delete require.cache[file];
}
const instrumentedWinston = load<typeof Winston>('winston');

const ROUNDS = knob('BENCH_ROUNDS', 41);
const PINO_CALLS = knob('BENCH_PINO_CALLS', 10_000);
const WINSTON_CALLS = knob('BENCH_WINSTON_CALLS', 5_000);

const devNull = () => pino.destination({ dest: '/dev/null', sync: true });
const discard = () => new Writable({ write: (_c, _e, cb) => cb() });

interface Row {
  readonly name: string;
  readonly emits: boolean;
  readonly log: (i: number) => void;
}

/** Checks that a row emits one record per call (or none), then times it. */
function variantOf({ name, emits, log }: Row): Variant {
  const before = emitted;
  log(-1);
  if (emitted - before !== (emits ? 1 : 0)) {
    throw new Error(`${name}: ${emitted - before} records emitted for one call`);
  }
  return {
    name,
    run: (calls) => {
      for (let i = 0; i < calls; i++) log(i);
    },
  };
}

function pinoRows(): Row[] {
  const row = (name: string, emits: boolean, logger: Pino.Logger): Row => ({
    name,
    emits,
    log: (n) => logger.info({ n }, 'hello world'),
  });
  return [
    row('plain pino', false, pino({}, devNull())),
    row('pino → pinoOtelLogsDestination()', true, pino({}, pinoOtelLogsDestination())),
    row(
      'pino + pinoMixin() → pinoOtelLogsDestination()',
      true,
      pino({ mixin: pinoMixin() }, pinoOtelLogsDestination()),
    ),
    row(
      'pino → /dev/null and pinoOtelLogsDestination() (multistream)',
      true,
      pino({}, pino.multistream([{ stream: devNull() }, { stream: pinoOtelLogsDestination() }])),
    ),
    // Options passed explicitly: the instrumentation's wrapper loses the one-argument form.
    row(
      'pino + instrumentation-pino log sending (→ /dev/null too)',
      true,
      instrumentedPino({}, devNull()),
    ),
  ];
}

function winstonRows(): Row[] {
  const { json } = winston.format;
  const row = (name: string, emits: boolean, logger: Winston.Logger): Row => ({
    name,
    emits,
    log: (n) => logger.info('hello world', { n }),
  });
  const stream = () => new winston.transports.Stream({ stream: discard() });
  return [
    row(
      'plain winston json()',
      false,
      winston.createLogger({ format: json(), transports: [stream()] }),
    ),
    row(
      'winston → WinstonOtelLogsTransport',
      true,
      winston.createLogger({ transports: [new WinstonOtelLogsTransport()] }),
    ),
    row(
      'winston json() and WinstonOtelLogsTransport',
      true,
      winston.createLogger({
        format: json(),
        transports: [stream(), new WinstonOtelLogsTransport()],
      }),
    ),
    row(
      'winston json() + instrumentation-winston log sending',
      true,
      instrumentedWinston.createLogger({
        format: json(),
        transports: [new instrumentedWinston.transports.Stream({ stream: discard() })],
      }),
    ),
  ];
}

const only = process.env.BENCH_ONLY; // 'pino' or 'winston' to run one half
await trace.getTracer('bench').startActiveSpan('bench', async (span) => {
  const pinoResults =
    only === 'winston'
      ? []
      : await runInterleaved({
          baseline: 'plain pino',
          variants: pinoRows().map(variantOf),
          calls: PINO_CALLS,
          rounds: ROUNDS,
        });
  const winstonResults =
    only === 'pino'
      ? []
      : await runInterleaved({
          baseline: 'plain winston json()',
          variants: winstonRows().map(variantOf),
          calls: WINSTON_CALLS,
          rounds: ROUNDS,
        });
  span.end();
  const behind =
    PROCESSOR === 'batch'
      ? 'BatchLogRecordProcessor (an exporter that discards; past its 2048-record queue it drops)'
      : PROCESSOR === 'queued'
        ? 'QueuedLogRecordProcessor (an exporter that discards)'
        : 'a processor that counts the records';
  console.log(
    `${ROUNDS} interleaved rounds; pino ${PINO_CALLS} calls a round, winston ${WINSTON_CALLS}, ` +
      `each round timed until winston's deferred work has run. Every call inside an active span; ` +
      `every emitting row to one registered LoggerProvider with ${behind}.\n`,
  );
  if (pinoResults.length)
    console.log(toMarkdown(`pino, through the logs SDK (${PROCESSOR})`, pinoResults));
  if (winstonResults.length) {
    console.log(toMarkdown(`winston, through the logs SDK (${PROCESSOR})`, winstonResults));
  }
});
await loggerProvider.shutdown();
await tracerProvider.shutdown();
