// One run of one transport scenario, in a fresh process (spawned by bench/transports.mjs):
// sets the scenario up, waits until its worker is ready, logs BENCH_RECORDS records inside one
// active span, and ends the way the package documents. Reports on stdout, one `@bench {json}`
// line after the loop and one at exit (after the transports' own exit hooks have run).
//
//   node bench/transports-child.mjs <scenario>
//   env: BENCH_RECORDS, BENCH_SERVICE (service.name), OTEL_EXPORTER_OTLP_LOGS_ENDPOINT
import { openSync, readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { context, trace } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');

const scenario = process.argv[2];
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const serviceName = process.env.BENCH_SERVICE ?? 'tracelink-bench';
const endpoint = process.env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT;
const READY_TIMEOUT_MS = 10_000;
// After setup, before the loop: lets workers finish loading their modules, for every scenario.
const SETTLE_MS = 500;

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider());
const tracer = trace.getTracer('bench');

const report = (phase, data) => writeSync(1, `@bench ${JSON.stringify({ phase, ...data })}\n`);
const wallNow = () => performance.timeOrigin + performance.now();

/** CPU time of the main thread alone (its task's utime + stime), in ms. */
function mainThreadCpuMs() {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // CLK_TCK = 100
}

/** Resolves on the stream's 'ready', or after READY_TIMEOUT_MS (then `false`). */
function ready(stream) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    stream.once('ready', () => (clearTimeout(timer), resolve(true)));
  });
}

let onExitReady = false;
let startMarks;
/** The exit report: registered after the transports' own exit hooks, so it runs after them. */
function reportAtExit() {
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

/** Each scenario: `{ log(i), finish() }`; `finish` ends the way the package documents. */
const scenarios = {
  async 'plain-pino'(mixin = false) {
    const pino = require('pino');
    const { pinoMixin } = require('tracelink/pino');
    const dest = pino.destination({ dest: '/dev/null', sync: true });
    const logger = pino(mixin ? { mixin: pinoMixin() } : {}, dest);
    reportAtExit();
    return { log: (i) => logger.info({ n: i }, 'hello world'), finish: async () => {} };
  },
  'plain-pino-mixin': () => scenarios['plain-pino'](true),

  async pot(options = {}, sync = false) {
    const pino = require('pino');
    // Endpoint and service.name from the environment, as its README shows.
    const transport = pino.transport({ target: 'pino-opentelemetry-transport', options, sync });
    const logger = pino(transport);
    if (!(await ready(transport))) report('warn', { message: 'transport not ready in 10 s' });
    reportAtExit(); // pino installs its exit hook on 'ready'
    // Natural end: pino's exit hook flushes and waits for the worker to close.
    return { log: (i) => logger.info({ n: i }, 'hello world'), finish: async () => {} };
  },
  'pot-queue100k': (sync = false) =>
    scenarios.pot(
      {
        logRecordProcessorOptions: {
          recordProcessorType: 'batch',
          processorConfig: { maxQueueSize: 100_000 },
        },
      },
      sync,
    ),
  // pino's own option: the main thread waits while the shared buffer is full, instead of
  // holding the lines the worker has not read yet.
  'pot-queue100k-sync': () => scenarios['pot-queue100k'](true),

  async 'tl-pino'({ mixin = false, sync = false } = {}) {
    const pino = require('pino');
    const { pinoMixin } = require('tracelink/pino');
    const transport = pino.transport({
      target: 'tracelink/pino-transport',
      options: { endpoint, serviceName },
      sync,
    });
    const logger = pino(mixin ? { mixin: pinoMixin() } : {}, transport);
    if (!(await ready(transport))) report('warn', { message: 'transport not ready in 10 s' });
    reportAtExit();
    return { log: (i) => logger.info({ n: i }, 'hello world'), finish: async () => {} };
  },
  'tl-pino-mixin': () => scenarios['tl-pino']({ mixin: true }),
  'tl-pino-sync': () => scenarios['tl-pino']({ sync: true }),

  async 'otel-winston'(processorOptions = {}) {
    const { logs } = require('@opentelemetry/api-logs');
    const { LoggerProvider, BatchLogRecordProcessor } = require('@opentelemetry/sdk-logs');
    const { OTLPLogExporter } = require('@opentelemetry/exporter-logs-otlp-proto');
    const { defaultResource, resourceFromAttributes } = require('@opentelemetry/resources');
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
    const winston = require('winston');
    const { OpenTelemetryTransportV3 } = require('@opentelemetry/winston-transport');
    const logger = winston.createLogger({ transports: [new OpenTelemetryTransportV3()] });
    reportAtExit();
    return {
      log: (i) => logger.info('hello world', { n: i }),
      finish: () => provider.shutdown(), // exports what the queue holds, then ends
    };
  },
  'otel-winston-queue100k': () => scenarios['otel-winston']({ maxQueueSize: 100_000 }),

  async 'tl-winston'() {
    const winston = require('winston');
    const { WinstonOtlpTransport } = require('tracelink/winston-transport');
    const logger = winston.createLogger({
      transports: [new WinstonOtlpTransport({ endpoint, serviceName })],
    });
    reportAtExit(); // the transport registered its exit hook when it was made
    return {
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
    };
  },
};

/**
 * Reference: tracelink's pino transport with no per-record work (bench/zero-work-pino-target.cjs),
 * with pino's defaults and with `sync: true`.
 */
scenarios['ref-pino-zero-work'] = async (sync = false) => {
  const pino = require('pino');
  const target = fileURLToPath(new URL('./zero-work-pino-target.cjs', import.meta.url));
  const transport = pino.transport({ target, options: { endpoint, serviceName }, sync });
  const logger = pino(transport);
  if (!(await ready(transport))) report('warn', { message: 'transport not ready in 10 s' });
  reportAtExit();
  return { log: (i) => logger.info({ n: i }, 'hello world'), finish: async () => {} };
};
scenarios['ref-pino-zero-work-sync'] = () => scenarios['ref-pino-zero-work'](true);

/**
 * Reference: winston alone — its default `json()` format and a transport that only calls
 * back — for the main thread's cost per record before any transport does anything.
 */
scenarios['ref-winston-noop'] = async () => winstonWithTransport((info, callback) => callback());

// The least a winston transport that ships records elsewhere must do on the logging thread:
// turn each record into bytes once (here V8's JSON.stringify, with the span's ids) and append
// them to a buffer, written to /dev/null every 64k characters. No mapping, no worker.
scenarios['ref-winston-json-line'] = async () => {
  const devNull = openSync('/dev/null', 'w');
  let pending = '';
  return winstonWithTransport((info, callback) => {
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
  });
};

/** winston with its defaults and one transport whose `log()` is `log`; ends with `logger.end()`. */
function winstonWithTransport(log) {
  const winston = require('winston');
  const Transport = require('winston-transport');
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

/**
 * Reference, not a transport: the pipeline's floor. The records (same body, attribute and span)
 * are made and encoded as OTLP/protobuf requests of 512 records before the clock starts; then
 * they are POSTed, two in flight, as fast as the collector answers.
 */
scenarios['ref-floor'] = async () => {
  const { request, Agent } = require('node:http');
  const { SeverityNumber } = require('@opentelemetry/api-logs');
  const {
    LoggerProvider,
    SimpleLogRecordProcessor,
    InMemoryLogRecordExporter,
  } = require('@opentelemetry/sdk-logs');
  const { ProtobufLogsSerializer } = require('@opentelemetry/otlp-transformer');
  const { defaultResource, resourceFromAttributes } = require('@opentelemetry/resources');
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
  const bodies = [];
  for (let i = 0; i < records.length; i += 512) {
    bodies.push(ProtobufLogsSerializer.serializeRequest(records.slice(i, i + 512)));
  }
  exporter.reset();
  const agent = new Agent({ keepAlive: true, maxSockets: 2 });
  const post = (body) =>
    new Promise((resolve) => {
      const req = request(
        endpoint,
        {
          method: 'POST',
          agent,
          timeout: 10_000,
          headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
        },
        (res) => (res.resume(), res.on('end', resolve)),
      );
      req.on('timeout', () => req.destroy());
      req.on('error', (error) => (report('warn', { message: String(error) }), resolve()));
      req.end(body);
    });
  reportAtExit();
  return {
    log: () => {},
    finish: async () => {
      let next = 0;
      const lane = async () => {
        while (next < bodies.length) await post(bodies[next++]);
      };
      await Promise.all([lane(), lane()]);
      agent.destroy();
    },
  };
};

if (!(scenario in scenarios)) throw new Error(`unknown scenario ${scenario}`);
const { log, finish } = await scenarios[scenario]();
await delay(SETTLE_MS);

await tracer.startActiveSpan('bench', async (span) => {
  globalThis.gc?.();
  startMarks = { mainCpuMs: mainThreadCpuMs(), processCpuMs: 0 };
  const cpu = process.cpuUsage();
  startMarks.processCpuMs = (cpu.user + cpu.system) / 1000;
  const t0 = wallNow();
  const start = process.hrtime.bigint();
  for (let i = 0; i < RECORDS; i++) log(i);
  const loopNs = Number(process.hrtime.bigint() - start);
  span.end();
  report('loop', { t0, loopNs, traceId: span.spanContext().traceId });
});
await finish();
report('finished', { tFinished: wallNow() });
