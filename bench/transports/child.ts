// One run of one transports scenario, in a fresh process (spawned by ./transports.ts): sets
// the scenario up, waits until its worker is ready, logs BENCH_RECORDS records inside one
// active span, and ends the way the package documents. Reports on stdout, one `@bench {json}`
// line after the loop and one at exit (after the transports' own exit hooks have run).
//
//   node .cache/bench/transports/child.mjs <scenario>   (built by bench/run.ts)
//   env: BENCH_RECORDS, BENCH_SERVICE (service.name), OTEL_EXPORTER_OTLP_LOGS_ENDPOINT
import type { IncomingMessage } from 'node:http';
import type * as NodeHttp from 'node:http';
import { mkdtempSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type * as Api from '@opentelemetry/api';
import type * as ApiLogs from '@opentelemetry/api-logs';
import type * as ContextAsyncHooks from '@opentelemetry/context-async-hooks';
import type * as ExporterLogsOtlpProto from '@opentelemetry/exporter-logs-otlp-proto';
import type * as OtlpTransformer from '@opentelemetry/otlp-transformer';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkLogs from '@opentelemetry/sdk-logs';
import type * as SdkTraceBase from '@opentelemetry/sdk-trace-base';
import type * as OtelWinstonTransport from '@opentelemetry/winston-transport';
import type Pino from 'pino';
import type * as TracelinkPino from 'tracelink/pino';
import type Winston from 'winston';
import type TransportStream from 'winston-transport';
import type ThreadStreamType from 'thread-stream';
import type * as TracelinkWinstonTransport from '../../transports/winston/index.js';
import { knob, load } from '../harness.js';

const { context, trace } = load<typeof Api>('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = load<typeof ContextAsyncHooks>(
  '@opentelemetry/context-async-hooks',
);
const { BasicTracerProvider } = load<typeof SdkTraceBase>('@opentelemetry/sdk-trace-base');

const scenario = process.argv[2] ?? '';
const RECORDS = knob('BENCH_RECORDS', 100_000);
const serviceName = process.env.BENCH_SERVICE ?? 'tracelink-bench';
const endpoint = process.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT;
const READY_TIMEOUT_MS = 10_000;
// After setup, before the loop: lets workers finish loading their modules, for every scenario.
const SETTLE_MS = 500;

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider());
const tracer = trace.getTracer('bench');

const report = (phase: string, data: object) =>
  writeSync(1, `@bench ${JSON.stringify({ phase, ...data })}\n`);
const wallNow = () => performance.timeOrigin + performance.now();

/** CPU time of the main thread alone (its task's utime + stime), in ms. */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // CLK_TCK = 100
}

/** Resolves on the stream's 'ready', or after READY_TIMEOUT_MS (then `false`). */
function ready(stream: NodeJS.EventEmitter): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    stream.once('ready', () => (clearTimeout(timer), resolve(true)));
  });
}

let onExitReady = false;
let startMarks: { mainCpuMs: number; processCpuMs: number } | undefined;
/** The exit report: registered after the transports' own exit hooks, so it runs after them. */
function reportAtExit(): void {
  if (onExitReady) return;
  onExitReady = true;
  process.on('exit', (code) => {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    const cpu = process.cpuUsage();
    report('exit', {
      code,
      tExit: wallNow(),
      peakRssKiB: hwm ? Number(hwm[1]) : null,
      mainCpuMs: startMarks ? mainThreadCpuMs() - startMarks.mainCpuMs : null,
      processCpuMs: startMarks ? (cpu.user + cpu.system) / 1000 - startMarks.processCpuMs : null,
    });
  });
}

/** A scenario set up: `log(i)` in the loop, then `finish()` ends the way the package documents. */
interface Running {
  log: (i: number) => void;
  finish: () => Promise<void>;
}

/** Natural end: pino's exit hook flushes and waits for the worker to close. */
const naturalEnd = () => Promise.resolve();

async function pinoTransport(target: string, options: object, sync: boolean, mixin = false) {
  const pino = load<typeof Pino>('pino');
  const { pinoMixin } = load<typeof TracelinkPino>('tracelink/pino');
  // `sync` reaches thread-stream; pino's types do not list it.
  const transport = pino.transport({ target, options, sync } as Pino.TransportSingleOptions);
  const logger = pino(mixin ? { mixin: pinoMixin() } : {}, transport);
  if (!(await ready(transport))) report('warn', { message: 'transport not ready in 10 s' });
  reportAtExit(); // pino installs its exit hook on 'ready'
  return { log: (i: number) => logger.info({ n: i }, 'hello world'), finish: naturalEnd };
}

const potQueue100k = {
  logRecordProcessorOptions: {
    recordProcessorType: 'batch',
    processorConfig: { maxQueueSize: 100_000 },
  },
};

async function otelWinston(processorOptions: { maxQueueSize?: number }): Promise<Running> {
  const { logs } = load<typeof ApiLogs>('@opentelemetry/api-logs');
  const { LoggerProvider, BatchLogRecordProcessor } =
    load<typeof SdkLogs>('@opentelemetry/sdk-logs');
  const { OTLPLogExporter } = load<typeof ExporterLogsOtlpProto>(
    '@opentelemetry/exporter-logs-otlp-proto',
  );
  const { defaultResource, resourceFromAttributes } = load<typeof Resources>(
    '@opentelemetry/resources',
  );
  // sdk-logs 0.22x: processors take `{ exporter, ...options }`.
  const processor = new BatchLogRecordProcessor({
    exporter: new OTLPLogExporter({ url: endpoint }),
    ...processorOptions,
  });
  const provider = new LoggerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': serviceName })),
    processors: [processor],
  });
  logs.setGlobalLoggerProvider(provider);
  const winston = load<typeof Winston>('winston');
  const { OpenTelemetryTransportV3 } = load<typeof OtelWinstonTransport>(
    '@opentelemetry/winston-transport',
  );
  const logger = winston.createLogger({ transports: [new OpenTelemetryTransportV3()] });
  reportAtExit();
  return Promise.resolve({
    log: (i) => logger.info('hello world', { n: i }),
    finish: () => provider.shutdown(), // exports what the queue holds, then ends
  });
}

/** winston with its defaults and one transport whose `log()` is `log`; ends with `logger.end()`. */
function winstonWithTransport(log: (info: object, callback: () => void) => void): Running {
  const winston = load<typeof Winston>('winston');
  const Transport = load<typeof TransportStream>('winston-transport');
  const transport = new (class extends Transport {})();
  transport.log = log;
  const logger = winston.createLogger({ transports: [transport] });
  reportAtExit();
  return {
    log: (i) => logger.info('hello world', { n: i }),
    finish: () =>
      new Promise((resolve) => {
        logger.once('finish', resolve);
        logger.end();
      }),
  };
}

/** A fresh, empty spool directory for this run (the disk spool's defaults otherwise). */
function spool(): { directory: string } {
  return { directory: mkdtempSync(join(tmpdir(), 'tracelink-bench-spool-')) };
}

/** tracelink's winston transport with its defaults plus `extra` options. */
function tlWinston(extra: object): Promise<Running> {
  const winston = load<typeof Winston>('winston');
  const { WinstonOtlpTransport } = load<typeof TracelinkWinstonTransport>(
    'tracelink/winston-transport',
  );
  const logger = winston.createLogger({
    transports: [new WinstonOtlpTransport({ endpoint, serviceName, ...extra })],
  });
  reportAtExit(); // the transport registered its exit hook when it was made
  return Promise.resolve({
    log: (i) => logger.info('hello world', { n: i }),
    // Documented end: logger.end(), then 'finish' once the worker has exported everything.
    finish: () =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          report('warn', { message: "no 'finish' within 60 s" });
          resolve();
        }, 60_000);
        logger.once('finish', () => (clearTimeout(timer), resolve()));
        logger.end();
      }),
  });
}

const scenarios: Record<string, () => Promise<Running>> = {
  'plain-pino': () => plainPino(false),
  'plain-pino-mixin': () => plainPino(true),

  // Endpoint and service.name from the environment, as its README shows.
  pot: () => pinoTransport('pino-opentelemetry-transport', {}, false),
  'pot-queue100k': () => pinoTransport('pino-opentelemetry-transport', potQueue100k, false),
  // pino's own option: the main thread waits while the shared buffer is full, instead of
  // holding the lines the worker has not read yet.
  'pot-queue100k-sync': () => pinoTransport('pino-opentelemetry-transport', potQueue100k, true),

  'tl-pino': () => pinoTransport('tracelink/pino-transport', { endpoint, serviceName }, false),
  'tl-pino-mixin': () =>
    pinoTransport('tracelink/pino-transport', { endpoint, serviceName }, false, true),
  'tl-pino-sync': () => pinoTransport('tracelink/pino-transport', { endpoint, serviceName }, true),

  'otel-winston': () => otelWinston({}),
  'otel-winston-queue100k': () => otelWinston({ maxQueueSize: 100_000 }),

  'tl-pino-spool': () =>
    pinoTransport('tracelink/pino-transport', { endpoint, serviceName, spool: spool() }, false),

  'tl-winston': () => tlWinston({}),
  'tl-winston-spool': () => tlWinston({ spool: spool() }),

  // Reference: tracelink's pino transport with no per-record work (./zero-work-target.ts),
  // with pino's defaults and with `sync: true`.
  'ref-pino-zero-work': () => pinoTransport(ZERO_WORK, { endpoint, serviceName }, false),
  'ref-pino-zero-work-sync': () => pinoTransport(ZERO_WORK, { endpoint, serviceName }, true),

  // Reference: winston alone — its default `json()` format and a transport that only calls
  // back — for the main thread's cost per record before any transport does anything.
  'ref-winston-noop': () => Promise.resolve(winstonWithTransport((_info, callback) => callback())),

  // The least a winston transport that ships records elsewhere must do on the logging thread:
  // turn each record into bytes once (here V8's JSON.stringify, with the span's ids) and append
  // them to a buffer, written to /dev/null every 64k characters. No mapping, no worker.
  'ref-winston-json-line': () => {
    const devNull = openSync('/dev/null', 'w');
    let pending = '';
    return Promise.resolve(
      winstonWithTransport((info, callback) => {
        const spanContext = trace.getSpan(context.active())?.spanContext();
        const json = JSON.stringify(info);
        pending +=
          spanContext === undefined
            ? `${json}\n`
            : `{"trace_id":"${spanContext.traceId}","span_id":"${spanContext.spanId}",${json.slice(1)}\n`;
        if (pending.length >= 65_536) {
          writeSync(devNull, pending);
          pending = '';
        }
        callback();
      }),
    );
  },

  // The least a winston transport that moves records off the logging thread must do there: the
  // line above, written (as tracelink's transport writes) synchronously into a 1 MiB buffer it
  // shares with a worker thread — a thread-stream whose worker drops every chunk.
  'ref-winston-thread-stream': () => {
    const ThreadStream = load<typeof ThreadStreamType>('thread-stream');
    const stream = new ThreadStream({
      filename: DISCARD_WORKER,
      sync: true,
      bufferSize: 1024 * 1024,
    });
    const running = winstonWithTransport((info, callback) => {
      const spanContext = trace.getSpan(context.active())?.spanContext();
      const json = JSON.stringify(info);
      stream.write(
        spanContext === undefined
          ? `${json}\n`
          : `{"trace_id":"${spanContext.traceId}","span_id":"${spanContext.spanId}",${json.slice(1)}\n`,
      );
      callback();
    });
    return Promise.resolve({
      log: running.log,
      finish: async () => {
        await running.finish();
        await new Promise<void>((resolve) => {
          stream.once('close', () => resolve());
          stream.end();
        });
      },
    });
  },

  'ref-floor': refFloor,
};

// Built next to this file by bench/run.ts, as this file is.
const ZERO_WORK = fileURLToPath(new URL('./zero-work-target.mjs', import.meta.url));
const DISCARD_WORKER = fileURLToPath(new URL('./discard-worker.mjs', import.meta.url));

function plainPino(mixin: boolean): Promise<Running> {
  const pino = load<typeof Pino>('pino');
  const { pinoMixin } = load<typeof TracelinkPino>('tracelink/pino');
  const dest = pino.destination({ dest: '/dev/null', sync: true });
  const logger = pino(mixin ? { mixin: pinoMixin() } : {}, dest);
  reportAtExit();
  return Promise.resolve({
    log: (i) => logger.info({ n: i }, 'hello world'),
    finish: naturalEnd,
  });
}

/**
 * Reference, not a transport: the pipeline's floor. The records (same body, attribute and span)
 * are made and encoded as OTLP/protobuf requests of 512 records before the clock starts; then
 * they are POSTed, two in flight, as fast as the collector answers.
 */
function refFloor(): Promise<Running> {
  const { request, Agent } = load<typeof NodeHttp>('node:http');
  const { SeverityNumber } = load<typeof ApiLogs>('@opentelemetry/api-logs');
  const { LoggerProvider, SimpleLogRecordProcessor, InMemoryLogRecordExporter } =
    load<typeof SdkLogs>('@opentelemetry/sdk-logs');
  const { ProtobufLogsSerializer } = load<typeof OtlpTransformer>(
    '@opentelemetry/otlp-transformer',
  );
  const { defaultResource, resourceFromAttributes } = load<typeof Resources>(
    '@opentelemetry/resources',
  );
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': serviceName })),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const otelLogger = provider.getLogger('bench');
  tracer.startActiveSpan('bench-ref', (span) => {
    for (let i = 0; i < RECORDS; i++) {
      otelLogger.emit({
        severityNumber: SeverityNumber.INFO,
        severityText: 'info',
        body: 'hello world',
        attributes: { n: i },
      });
    }
    span.end();
  });
  const records = exporter.getFinishedLogRecords();
  const bodies: Uint8Array[] = [];
  for (let i = 0; i < records.length; i += 512) {
    bodies.push(ProtobufLogsSerializer.serializeRequest(records.slice(i, i + 512))!);
  }
  exporter.reset();
  const agent = new Agent({ keepAlive: true, maxSockets: 2 });
  const post = (body: Uint8Array) =>
    new Promise<void>((resolve) => {
      const req = request(
        endpoint!,
        {
          method: 'POST',
          agent,
          timeout: 10_000,
          headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
        },
        (res: IncomingMessage) => (res.resume(), res.on('end', resolve)),
      );
      req.on('timeout', () => req.destroy());
      req.on('error', (error) => (report('warn', { message: String(error) }), resolve()));
      req.end(body);
    });
  reportAtExit();
  return Promise.resolve({
    log: () => {},
    finish: async () => {
      let next = 0;
      const lane = async () => {
        while (next < bodies.length) await post(bodies[next++]);
      };
      await Promise.all([lane(), lane()]);
      agent.destroy();
    },
  });
}

const setUp = scenarios[scenario];
if (setUp === undefined) throw new Error(`unknown scenario ${scenario}`);
const { log, finish } = await setUp();
await delay(SETTLE_MS);

await tracer.startActiveSpan('bench', (span) => {
  (globalThis as { gc?: () => void }).gc?.();
  const mainCpuMs = mainThreadCpuMs();
  const cpu = process.cpuUsage();
  startMarks = { mainCpuMs, processCpuMs: (cpu.user + cpu.system) / 1000 };
  const t0 = wallNow();
  const start = process.hrtime.bigint();
  for (let i = 0; i < RECORDS; i++) log(i);
  const loopNs = Number(process.hrtime.bigint() - start);
  span.end();
  report('loop', { t0, loopNs, traceId: span.spanContext().traceId });
  return Promise.resolve();
});
await finish();
report('finished', { tFinished: wallNow() });
