import { setTimeout as sleep } from 'node:timers/promises';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import pino from 'pino';
import winston from 'winston';
import { InvalidOptionError } from 'tracelink';
import { pinoMixin } from 'tracelink/pino';
import { pinoOtelLogsDestination, WinstonOtelLogsTransport } from 'tracelink/otel-logs';
import { setUpTracing } from '../helpers/tracing.js';
import type { TestTracing } from '../helpers/tracing.js';

let tracing: TestTracing;
beforeAll(() => (tracing = setUpTracing()));
afterAll(() => tracing.shutdown());

/** A real sdk-logs provider registered as the app's global one; `records()` after its flush. */
function registerProvider(): { records(): Promise<SdkRecord[]> } {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  logs.setGlobalLoggerProvider(provider);
  return {
    // SimpleLogRecordProcessor exports once the resource's attributes have settled.
    records: async () => {
      await provider.forceFlush();
      return exporter.getFinishedLogRecords();
    },
  };
}
type SdkRecord = ReturnType<InMemoryLogRecordExporter['getFinishedLogRecords']>[number];
afterEach(() => logs.disable());

function pinoLogger(destination = pinoOtelLogsDestination()) {
  return { destination, logger: pino({ customLevels: { audit: 35 } }, destination) };
}

function winstonLogger(transport = new WinstonOtelLogsTransport()) {
  return { transport, logger: winston.createLogger({ transports: [transport] }) };
}

describe('pinoOtelLogsDestination', () => {
  describe('with a LoggerProvider registered', () => {
    it('emits severity, body, attributes, exception.* and the active span through it', async () => {
      const exporter = registerProvider();
      const { logger, destination } = pinoLogger();
      let ids = { traceId: '', spanId: '' };
      tracing.tracer.startActiveSpan('request', (span) => {
        const { traceId, spanId } = span.spanContext();
        ids = { traceId, spanId };
        logger.info({ user: 'ada', nested: { a: 1 } }, 'hello %s', 'world');
        logger.error({ err: new TypeError('bad input') }, 'failed');
        logger.audit('audited');
        span.end();
      });
      const [hello, failed, audited] = await exporter.records();
      expect(hello).toMatchObject({
        severityNumber: 9,
        severityText: 'info',
        body: 'hello world',
        attributes: { user: 'ada', nested: { a: 1 } },
        spanContext: ids,
        instrumentationScope: { name: 'tracelink' },
      });
      expect(hello?.attributes).not.toHaveProperty('level');
      expect(hello?.attributes).not.toHaveProperty('pid');
      expect(failed).toMatchObject({
        severityNumber: 17,
        attributes: { 'exception.type': 'TypeError', 'exception.message': 'bad input' },
      });
      expect(audited?.severityText).toBe('audit');
      expect(destination.stats()).toMatchObject({ received: 3, emitted: 3, held: 0 });
    });

    it("takes the ids of pinoMixin's fields over the span active at the write", async () => {
      const exporter = registerProvider();
      const destination = pinoOtelLogsDestination();
      const logger = pino({ mixin: pinoMixin() }, destination);
      const carried = { trace_id: 'ab'.repeat(16), span_id: 'cd'.repeat(8), trace_flags: '01' };
      logger.info(carried, 'carried in');
      const [record] = await exporter.records();
      expect(record?.spanContext).toMatchObject({
        traceId: 'ab'.repeat(16),
        spanId: 'cd'.repeat(8),
      });
      expect(record?.attributes).not.toHaveProperty('trace_id');
    });

    it("reads the logger's messageKey and errorKey", async () => {
      const exporter = registerProvider();
      const destination = pinoOtelLogsDestination();
      const logger = pino({ messageKey: 'message', errorKey: 'error' }, destination);
      logger.child({ part: 'db' }).error({ error: new Error('down') }, 'query failed');
      const [record] = await exporter.records();
      expect(record).toMatchObject({
        body: 'query failed',
        attributes: { part: 'db', 'exception.message': 'down' },
      });
    });
  });

  describe('before a LoggerProvider is registered', () => {
    it('holds the records and emits them, in order, before the next one once it is', async () => {
      const { logger, destination } = pinoLogger();
      logger.info('first');
      logger.info('second');
      expect(destination.stats()).toMatchObject({ received: 2, emitted: 0, held: 2 });
      const exporter = registerProvider();
      logger.info('third');
      expect((await exporter.records()).map((r) => r.body)).toEqual(['first', 'second', 'third']);
      expect(destination.stats()).toMatchObject({ received: 3, emitted: 3, held: 0 });
    });

    it('emits them without a new record, soon after the provider is registered', async () => {
      const { logger } = pinoLogger();
      tracing.tracer.startActiveSpan('early', (span) => {
        logger.info('early');
        span.end();
      });
      const exporter = registerProvider();
      for (let i = 0; i < 50 && (await exporter.records()).length === 0; i++) {
        await sleep(20);
      }
      const [early] = await exporter.records();
      expect(early?.body).toBe('early');
      // The span of its log call, not whatever is active at the replay.
      expect(early?.spanContext?.traceId).toMatch(/^[0-9a-f]{32}$/);
    });

    it('drops the newest past maxHeldRecords, counted as hold-full', async () => {
      const { logger, destination } = pinoLogger(pinoOtelLogsDestination({ maxHeldRecords: 2 }));
      for (const body of ['a', 'b', 'c', 'd']) logger.info(body);
      const exporter = registerProvider();
      logger.info('e');
      expect((await exporter.records()).map((r) => r.body)).toEqual(['a', 'b', 'e']);
      expect(destination.stats()).toMatchObject({
        received: 5,
        emitted: 3,
        dropped: { 'hold-full': 2 },
      });
    });

    it('counts what is still held at end() as no-provider-at-exit, and says so', () => {
      const errors: string[] = [];
      diag.setLogger(
        { ...silent, error: (message: string) => void errors.push(message) },
        DiagLogLevel.ERROR,
      );
      const stderr = jest.spyOn(process.stderr, 'write');
      try {
        const { logger, destination } = pinoLogger();
        logger.info('never sent');
        destination.end();
        expect(destination.stats()).toMatchObject({
          received: 1,
          held: 0,
          dropped: { 'no-provider-at-exit': 1 },
        });
        expect(errors.join('\n')).toMatch(/1 log records .* never sent \(no-provider-at-exit\)/);
      } finally {
        stderr.mockRestore();
        diag.disable();
      }
    });
  });

  describe("with instrumentation-pino's log sending on", () => {
    it('emits none of the logger’s records (each would go twice), counts them and says so once', async () => {
      const exporter = registerProvider();
      const warnings: string[] = [];
      diag.setLogger({ ...silent, warn: (m: string) => void warnings.push(m) }, DiagLogLevel.WARN);
      try {
        // The instrumentation's own patch, applied to this pino (a require hook cannot reach
        // Jest's module registry).
        const [definition] = new PinoInstrumentation().getModuleDefinitions();
        const instrumentedPino = definition?.patch?.(pino) as typeof pino;
        const destination = pinoOtelLogsDestination();
        const logger = instrumentedPino({}, destination);
        logger.info('one');
        logger.info('two');
        const records = await exporter.records();
        expect(records.map((r) => [r.body, r.instrumentationScope.name])).toEqual([
          ['one', '@opentelemetry/instrumentation-pino'],
          ['two', '@opentelemetry/instrumentation-pino'],
        ]);
        expect(destination.stats()).toMatchObject({
          received: 2,
          emitted: 0,
          leftToInstrumentation: 2,
        });
        expect(
          warnings.filter((w) => w.includes('instrumentation-pino already sends')),
        ).toHaveLength(1);
      } finally {
        diag.disable();
      }
    });

    it('emits the records of a logger made without it', async () => {
      const exporter = registerProvider();
      const [definition] = new PinoInstrumentation({
        disableLogSending: true,
      }).getModuleDefinitions();
      const instrumentedPino = definition?.patch?.(pino) as typeof pino;
      const destination = pinoOtelLogsDestination();
      instrumentedPino({}, destination).info('one');
      const records = await exporter.records();
      expect(records.map((r) => r.instrumentationScope.name)).toEqual(['tracelink']);
    });
  });

  it('holds nothing under OTEL_SDK_DISABLED=true: counted as sdk-disabled, no exit report', () => {
    process.env.OTEL_SDK_DISABLED = 'true';
    try {
      const { logger, destination } = pinoLogger();
      logger.info('not for any SDK');
      destination.end();
      expect(destination.stats()).toMatchObject({
        received: 1,
        held: 0,
        dropped: { 'sdk-disabled': 1, 'no-provider-at-exit': 0 },
      });
    } finally {
      delete process.env.OTEL_SDK_DISABLED;
    }
  });

  it('throws InvalidOptionError for an unknown option and for a wrong maxHeldRecords', () => {
    expect(() => pinoOtelLogsDestination({ maxHeld: 3 } as never)).toThrow(InvalidOptionError);
    expect(() => pinoOtelLogsDestination({ maxHeldRecords: -1 })).toThrow(/maxHeldRecords/);
    expect(() => pinoOtelLogsDestination({ fields: 'nope' as never })).toThrow(InvalidOptionError);
  });
});

const silent = { verbose() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('WinstonOtelLogsTransport', () => {
  it('emits each record through the registered provider, in the span of its log call', async () => {
    const exporter = registerProvider();
    const { logger, transport } = winstonLogger();
    let traceId = '';
    tracing.tracer.startActiveSpan('request', (span) => {
      traceId = span.spanContext().traceId;
      logger.warn('low disk', { free: 3 });
      logger.error('save failed', { error: new RangeError('too big') });
      span.end();
    });
    await new Promise((resolve) => setImmediate(resolve));
    const [warn, failed] = await exporter.records();
    expect(warn).toMatchObject({
      severityNumber: 13,
      severityText: 'warn',
      body: 'low disk',
      attributes: { free: 3 },
      spanContext: { traceId },
    });
    expect(failed?.attributes).toMatchObject({
      'exception.type': 'RangeError',
      'exception.message': 'too big',
    });
    expect(transport.stats()).toMatchObject({ received: 2, emitted: 2 });
  });

  it('holds records until a provider is registered, then emits them in order', async () => {
    const { logger, transport } = winstonLogger();
    logger.info('one');
    logger.info('two');
    await new Promise((resolve) => setImmediate(resolve));
    expect(transport.stats()).toMatchObject({ held: 2 });
    const exporter = registerProvider();
    logger.info('three');
    await new Promise((resolve) => setImmediate(resolve));
    expect((await exporter.records()).map((r) => r.body)).toEqual(['one', 'two', 'three']);
  });

  it("throws InvalidOptionError for an unknown option, and takes winston's own", () => {
    expect(() => new WinstonOtelLogsTransport({ endpoint: 'x' } as never)).toThrow(
      InvalidOptionError,
    );
    expect(() => new WinstonOtelLogsTransport({ level: 'warn', silent: false })).not.toThrow();
  });
});
