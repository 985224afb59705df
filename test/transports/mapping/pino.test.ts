import pino from 'pino';
import fc from 'fast-check';
import { diag } from '@opentelemetry/api';
import { SeverityNumber as S } from '@opentelemetry/api-logs';
import { pinoMixin } from 'tracelink/pino';
import { mapPinoRecord, resolvePinoMapping } from '../../../transports/mapping/pino.js';
import type { PinoMappingOptions } from '../../../transports/mapping/pino.js';
import { EXAMPLE_SPAN_CONTEXT, useTracing, withSpanContext } from '../../helpers/tracing.js';
import { capturePino } from './record-capture.js';
import { isDeepStrictEqual } from 'node:util';
import { convertJsonValue } from '../../../transports/mapping/json-values.js';
import { toAnyValue } from '../../../transports/mapping/values.js';

const tracing = useTracing();
const NOW = 1_800_000_000_000;

/** Logs through a real pino logger and maps the line it wrote. */
function logAndMap(
  log: (logger: pino.Logger<'audit' | 'panic'>) => void,
  loggerOptions: pino.LoggerOptions<'audit' | 'panic'> = {},
  mappingOptions: PinoMappingOptions = {},
) {
  const { logger, lines } = capturePino<'audit' | 'panic'>(loggerOptions);
  log(logger);
  const line = lines[0] ?? {};
  return { line, record: mapPinoRecord(line, resolvePinoMapping(mappingOptions), NOW) };
}

describe('mapPinoRecord', () => {
  const warn = jest.spyOn(diag, 'warn').mockImplementation(() => {});
  afterAll(() => warn.mockRestore());

  describe('with a default pino logger', () => {
    it('maps the line’s fields to the data model', () => {
      const { line, record } = logAndMap((logger) =>
        logger.info({ user: 'ada', cart: { items: 2 } }, 'hello %s', 'world'),
      );
      expect(record).toEqual({
        timestamp: line.time,
        observedTimestamp: NOW,
        severityNumber: S.INFO,
        severityText: 'info',
        body: 'hello world',
        attributes: { user: 'ada', cart: { items: 2 } },
        resource: { 'host.name': line.hostname, 'process.pid': process.pid },
      });
    });

    it.each([
      ['trace', S.TRACE],
      ['debug', S.DEBUG],
      ['info', S.INFO],
      ['warn', S.WARN],
      ['error', S.ERROR],
      ['fatal', S.FATAL],
    ] as const)('maps level %s to %d', (level, expected) => {
      const { record } = logAndMap((logger) => logger[level]('x'));
      expect(record).toMatchObject({ severityNumber: expected, severityText: level });
    });

    it('keeps a structured message as a structured body', () => {
      const record = mapPinoRecord(
        { level: 30, msg: { event: 'login', ok: true } },
        resolvePinoMapping(),
        NOW,
      );
      expect(record.body).toEqual({ event: 'login', ok: true });
    });

    it('uses Date.now() as the observed time by default', () => {
      const before = Date.now();
      const record = mapPinoRecord({ level: 30, msg: 'x' }, resolvePinoMapping());
      expect(record.observedTimestamp).toBeGreaterThanOrEqual(before);
      expect(record.observedTimestamp).toBeLessThanOrEqual(Date.now());
      expect(record.timestamp).toBe(record.observedTimestamp);
    });
  });

  describe('with custom levels', () => {
    const customLevels = { audit: 35, panic: 70 };

    it.each([
      ['audit', S.INFO3],
      ['panic', S.FATAL4],
    ] as const)('places %s by rank', (level, expected) => {
      const { record } = logAndMap(
        (logger) => logger[level]('x'),
        { customLevels },
        { customLevels },
      );
      expect(record).toMatchObject({ severityNumber: expected, severityText: level });
    });

    it('places a level the mapping does not know by rank, named by its number', () => {
      const { record } = logAndMap((logger) => logger.audit('x'), { customLevels });
      expect(record).toMatchObject({ severityNumber: S.INFO3, severityText: '35' });
    });

    it('applies severityOverrides, by name or by number', () => {
      const byName = logAndMap(
        (l) => l.audit('x'),
        { customLevels },
        { customLevels, severityOverrides: { audit: S.WARN } },
      );
      const byNumber = logAndMap(
        (l) => l.audit('x'),
        { customLevels },
        { severityOverrides: { 35: S.WARN2 } },
      );
      expect(byName.record.severityNumber).toBe(S.WARN);
      expect(byNumber.record.severityNumber).toBe(S.WARN2);
    });

    it('reads a level written as its label (formatters.level)', () => {
      const { record } = logAndMap((logger) => logger.warn('x'), {
        formatters: { level: (label) => ({ level: label }) },
      });
      expect(record).toMatchObject({ severityNumber: S.WARN, severityText: 'warn' });
      expect(record.attributes).toEqual({});
    });

    it('keeps an unknown label as severityText, UNSPECIFIED', () => {
      const record = mapPinoRecord({ level: 'loud', msg: 'x' }, resolvePinoMapping(), NOW);
      expect(record).toMatchObject({ severityNumber: S.UNSPECIFIED, severityText: 'loud' });
    });

    it('keeps a level that is neither number nor string as an attribute', () => {
      const record = mapPinoRecord({ level: { x: 1 }, msg: 'x' }, resolvePinoMapping(), NOW);
      expect(record).toMatchObject({
        severityNumber: S.UNSPECIFIED,
        severityText: '',
        attributes: { level: { x: 1 } },
      });
    });
  });

  describe('with pino’s time functions', () => {
    it.each([
      ['epochTime', pino.stdTimeFunctions.epochTime, 1],
      ['unixTime', pino.stdTimeFunctions.unixTime, 1000],
      ['isoTime', pino.stdTimeFunctions.isoTime, 1],
      ['isoTimeNano', pino.stdTimeFunctions.isoTimeNano, 1e-6],
    ])('reads %s', (_name, timestamp, resolution) => {
      const before = Date.now();
      const { record } = logAndMap((logger) => logger.info('x'), { timestamp });
      expect(record.timestamp).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000);
      expect(record.timestamp).toBeLessThanOrEqual(Date.now() + 1000);
      expect(Math.round(record.timestamp / resolution) * resolution).toBeCloseTo(
        record.timestamp,
        3,
      );
      expect(record.attributes).toEqual({});
    });

    it('uses now when the line has no time (nullTime)', () => {
      const { record } = logAndMap((logger) => logger.info('x'), { timestamp: false });
      expect(record.timestamp).toBe(NOW);
      expect(record.attributes).toEqual({});
    });

    it('uses now and keeps an unreadable time as the attribute `time`', () => {
      const { record } = logAndMap((logger) => logger.info('x'), {
        timestamp: () => ',"time":"soon"',
      });
      expect(record.timestamp).toBe(NOW);
      expect(record.attributes).toEqual({ time: 'soon' });
    });
  });

  describe('with formatters that rename or recase the level and the time', () => {
    const MS = 1_700_000_000_123;
    const ISO = new Date(MS).toISOString();

    it('reads Google Cloud’s `severity` and `timestamp` when pino’s `level` and `time` are gone', () => {
      const { record } = logAndMap(
        (logger) => logger.error({ order: 7 }, 'payment failed'),
        {
          messageKey: 'message',
          formatters: { level: (label) => ({ severity: label.toUpperCase() }) },
          timestamp: () => `,"timestamp":"${ISO}"`,
        },
        { messageKey: 'message' },
      );
      expect(record).toMatchObject({
        timestamp: MS,
        severityNumber: S.ERROR,
        severityText: 'ERROR',
        body: 'payment failed',
        attributes: { order: 7 },
      });
      expect(record.attributes).not.toHaveProperty('severity');
      expect(record.attributes).not.toHaveProperty('timestamp');
    });

    it('reads `{ seconds, nanos }` timestamps, and keeps `severity` as an attribute beside pino’s `level`', () => {
      const { record } = logAndMap((logger) => logger.warn('disk almost full'), {
        formatters: {
          level: (label, number) => ({ severity: label.toUpperCase(), level: number }),
        },
        timestamp: () => ',"timestamp":{"seconds":1700000000,"nanos":123000000}',
      });
      expect(record).toMatchObject({
        timestamp: MS,
        severityNumber: S.WARN,
        severityText: 'warn',
        attributes: { severity: 'WARN' },
      });
      expect(record.attributes).not.toHaveProperty('timestamp');
    });

    it('reads ECS’s `log.level` and `@timestamp` (@elastic/ecs-pino-format)', () => {
      const { record } = logAndMap(
        (logger) => logger.warn('slow query'),
        {
          messageKey: 'message',
          formatters: { level: (label) => ({ 'log.level': label }) },
          timestamp: () => `,"@timestamp":"${ISO}"`,
        },
        { messageKey: 'message' },
      );
      expect(record).toMatchObject({
        timestamp: MS,
        severityNumber: S.WARN,
        severityText: 'warn',
        body: 'slow query',
        attributes: {},
      });
    });

    it('matches a recased label to the logger’s own level, custom ones included, keeping its text', () => {
      const { record } = logAndMap(
        (logger) => logger.audit('signed in'),
        {
          customLevels: { audit: 35, panic: 70 },
          formatters: { level: (label) => ({ level: label.toUpperCase() }) },
        },
        { customLevels: { audit: 35, panic: 70 } },
      );
      expect(record).toMatchObject({ severityNumber: S.INFO3, severityText: 'AUDIT' });
      expect(record.attributes).toEqual({});
    });

    it.each([
      ['DEBUG', S.DEBUG],
      ['INFO', S.INFO],
      ['NOTICE', S.INFO2],
      ['WARNING', S.WARN],
      ['ERROR', S.ERROR],
      ['CRITICAL', S.ERROR2],
      ['ALERT', S.ERROR3],
      ['EMERGENCY', S.FATAL],
      ['crit', S.ERROR2],
      ['DEFAULT', S.UNSPECIFIED],
    ])('maps the Google Cloud / RFC 5424 name %s to %i', (name, severityNumber) => {
      const record = mapPinoRecord({ severity: name, msg: 'x' }, resolvePinoMapping(), NOW);
      expect(record).toMatchObject({ severityNumber, severityText: name, attributes: {} });
    });

    it('lets an override win over the names it knows', () => {
      const mapping = resolvePinoMapping({ severityOverrides: { WARNING: S.WARN2 } });
      const record = mapPinoRecord({ severity: 'WARNING', msg: 'x' }, mapping, NOW);
      expect(record.severityNumber).toBe(S.WARN2);
    });

    it('prefers pino’s own keys, and takes only a name as a renamed level', () => {
      const both = mapPinoRecord(
        { level: 30, severity: 'ERROR', time: MS, timestamp: 1, msg: 'x' },
        resolvePinoMapping(),
        NOW,
      );
      expect(both).toMatchObject({
        timestamp: MS,
        severityNumber: S.INFO,
        attributes: { severity: 'ERROR', timestamp: 1 },
      });
      const numeric = mapPinoRecord({ severity: 500, msg: 'x' }, resolvePinoMapping(), NOW);
      expect(numeric).toMatchObject({
        severityNumber: S.UNSPECIFIED,
        severityText: '',
        attributes: { severity: 500 },
      });
    });

    it('keeps an unreadable renamed time as an attribute and uses now', () => {
      const record = mapPinoRecord({ '@timestamp': 'soon', msg: 'x' }, resolvePinoMapping(), NOW);
      expect(record).toMatchObject({ timestamp: NOW, attributes: { '@timestamp': 'soon' } });
    });
  });

  describe('with a custom messageKey and errorKey', () => {
    it('reads the message and the error from them', () => {
      const options = { messageKey: 'message', errorKey: 'error' };
      const error = new Error('boom');
      const { record } = logAndMap(
        (logger) => logger.error({ error, msg: 'kept' }, 'failed'),
        options,
        options,
      );
      expect(record.body).toBe('failed');
      expect(record.attributes).toEqual({
        msg: 'kept',
        'exception.type': 'Error',
        'exception.message': 'boom',
        'exception.stacktrace': error.stack,
      });
    });
  });

  describe('with errors', () => {
    it('maps logger.error(err) to exception attributes, extra props under the error key', () => {
      const error = Object.assign(new TypeError('bad input'), { code: 'E_INPUT' });
      const { record } = logAndMap((logger) => logger.error(error));
      expect(record.body).toBe('bad input');
      expect(record.attributes).toEqual({
        err: { code: 'E_INPUT' },
        'exception.type': 'TypeError',
        'exception.message': 'bad input',
        'exception.stacktrace': error.stack,
      });
    });

    it('keeps the cause chain pino’s default serializer writes into the stack', () => {
      const cause = new Error('disk full');
      const error = new Error('write failed', { cause });
      const { record } = logAndMap((logger) => logger.error(error));
      expect(record.attributes['exception.message']).toBe('write failed: disk full');
      expect(record.attributes['exception.stacktrace']).toBe(
        `${error.stack}\ncaused by: ${cause.stack}`,
      );
    });

    it('appends errWithCause’s nested causes as "Caused by:"', () => {
      const root = new Error('root');
      const error = new Error('top', { cause: new RangeError('middle', { cause: root }) });
      const middle = error.cause as Error;
      const { record } = logAndMap((logger) => logger.error(error), {
        serializers: { err: pino.stdSerializers.errWithCause },
      });
      expect(record.attributes).toEqual({
        'exception.type': 'Error',
        'exception.message': 'top',
        'exception.stacktrace': `${error.stack}\nCaused by: ${middle.stack}\nCaused by: ${root.stack}`,
      });
    });

    it('lists an AggregateError’s errors in the stacktrace', () => {
      const inner = new Error('one');
      const error = new AggregateError([inner], 'many');
      const { record } = logAndMap((logger) => logger.error(error));
      expect(record.attributes['exception.stacktrace']).toBe(
        `${error.stack}\nAggregated error 1 of 1: ${inner.stack}`,
      );
      expect(record.attributes.err).toBeUndefined();
    });

    it('uses the error’s message as the body when the line has none', () => {
      const { line } = logAndMap((logger) => logger.error(new Error('only the error')));
      delete line.msg;
      const record = mapPinoRecord(line, resolvePinoMapping(), NOW);
      expect(record.body).toBe('only the error');
    });

    it('keeps an errorKey value that is not error-like as a plain attribute', () => {
      const { record } = logAndMap((logger) => logger.error({ err: 'just text' }, 'x'));
      expect(record.attributes).toEqual({ err: 'just text' });
    });
  });

  describe('with trace fields', () => {
    it.each([
      ['otel', {}, 1],
      ['camel', { fields: 'camel' as const }, 1],
      ['ecs (which has no flags field)', { fields: 'ecs' as const }, 0],
      ['gcp', { fields: 'gcp' as const, gcpProjectId: 'proj' }, 1],
    ])('turns pinoMixin’s %s fields into the span context', (_profile, mixinOptions, flags) => {
      const { record } = logAndMap(
        (logger) =>
          tracing.tracer.startActiveSpan('op', (span) => {
            logger.info({ user: 'ada' }, 'in span');
            span.end();
          }),
        { mixin: pinoMixin(mixinOptions) },
      );
      const [span] = tracing.exporter.getFinishedSpans().slice(-1);
      const { traceId, spanId } = span?.spanContext() ?? {};
      expect(record.spanContext).toEqual({ traceId, spanId, traceFlags: flags, isRemote: true });
      expect(record.attributes).toEqual({ user: 'ada' });
    });

    it('keeps the rest of ECS nested trace and span objects', () => {
      const { traceId, spanId } = EXAMPLE_SPAN_CONTEXT;
      const { record } = logAndMap((logger) =>
        logger.info({ trace: { id: traceId }, span: { id: spanId, name: 'db' } }, 'x'),
      );
      expect(record.spanContext).toMatchObject({ traceId, spanId, traceFlags: 0 });
      expect(record.attributes).toEqual({ span: { name: 'db' } });
    });

    it('keeps Datadog’s fields as attributes', () => {
      const { record } = logAndMap(
        (logger) => withSpanContext(EXAMPLE_SPAN_CONTEXT, () => logger.info('x')),
        { mixin: pinoMixin({ fields: 'datadog' }) },
      );
      expect(record.spanContext).toBeUndefined();
      expect(record.attributes).toEqual({
        'dd.trace_id': '11803532876627986230',
        'dd.span_id': '67667974448284343',
      });
    });
  });

  describe('with custom trace fields', () => {
    const fields = { traceId: 'tid', spanId: 'sid', traceFlags: 'tf' };

    function logInSpan(mixinFields: PinoMappingOptions['fields']) {
      const { logger, lines } = capturePino({ mixin: pinoMixin({ fields: mixinFields }) });
      const expected = tracing.tracer.startActiveSpan('op', (span) => {
        logger.info({ user: 'ada' }, 'in span');
        span.end();
        return span.spanContext();
      });
      // Through JSON text, as the transport's worker gets the line.
      const line = JSON.parse(JSON.stringify(lines[0])) as Record<string, unknown>;
      return { expected, line };
    }

    it.each([
      ['the general path', false],
      ['the fromJson path', true],
    ])(
      'turns pinoMixin’s custom fields into the span context and removes them, on %s',
      (_path, fromJson) => {
        const { expected, line } = logInSpan({ traceId: 'tid', spanId: 'sid' });
        const mapping = resolvePinoMapping({ fields: { traceId: 'tid', spanId: 'sid' } });
        const record = mapPinoRecord(line, mapping, NOW, fromJson);
        expect(record.spanContext).toEqual({
          traceId: expected.traceId,
          spanId: expected.spanId,
          traceFlags: 0,
          isRemote: true,
        });
        expect(record.attributes).toEqual({ user: 'ada' });
      },
    );

    it('reads the custom flags field too', () => {
      const { expected, line } = logInSpan(fields);
      const record = mapPinoRecord(line, resolvePinoMapping({ fields }), NOW, true);
      expect(record.spanContext).toEqual({ ...expected, isRemote: true });
      expect(record.attributes).toEqual({ user: 'ada' });
    });

    it('keeps them as attributes without the fields option', () => {
      const { line } = logInSpan(fields);
      const record = mapPinoRecord(line, resolvePinoMapping(), NOW, true);
      expect(record.spanContext).toBeUndefined();
      expect(Object.keys(record.attributes).sort()).toEqual(['sid', 'tf', 'tid', 'user']);
    });

    it('prefers them to built-in fields with other ids, which stay attributes', () => {
      const { expected, line } = logInSpan(fields);
      const other = { trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) };
      const record = mapPinoRecord({ ...line, ...other }, resolvePinoMapping({ fields }), NOW);
      expect(record.spanContext).toMatchObject({ traceId: expected.traceId });
      expect(record.attributes).toEqual({ user: 'ada', ...other });
    });

    it('still reads the built-in profiles', () => {
      const { expected, line } = logInSpan('camel');
      const record = mapPinoRecord(line, resolvePinoMapping({ fields }), NOW, true);
      expect(record.spanContext).toEqual({ ...expected, isRemote: true });
    });
  });

  describe('with flattenAttributes', () => {
    it('writes nested objects, and the error’s extra props, as dotted keys', () => {
      const error = Object.assign(new Error('x'), { code: 'E1' });
      const { record } = logAndMap(
        (logger) => logger.error({ err: error, http: { req: { method: 'GET' } } }, 'y'),
        {},
        { flattenAttributes: true },
      );
      expect(Object.keys(record.attributes)).toEqual([
        'http.req.method',
        'err.code',
        'exception.type',
        'exception.message',
        'exception.stacktrace',
      ]);
    });
  });

  describe('with hostile values', () => {
    it('cuts a 5 MB string from a real line', () => {
      const { record } = logAndMap((logger) =>
        logger.info({ blob: 'z'.repeat(5 * 1024 * 1024) }, 'x'),
      );
      expect(record.attributes.blob).toBe(`${'z'.repeat(1_048_576)}…[truncated 4194304 chars]`);
    });

    it('replaces lone surrogates in the body, keys and values', () => {
      const line = JSON.parse('{"level":30,"msg":"m\\ud800","k\\udc00":"v\\ud83d"}') as Record<
        string,
        unknown
      >;
      const record = mapPinoRecord(line, resolvePinoMapping(), NOW);
      expect(record.body).toBe('m\uFFFD');
      expect(record.attributes).toEqual({ 'k\uFFFD': 'v\uFFFD' });
    });

    it('keeps a __proto__ field as an ordinary attribute', () => {
      const { record } = logAndMap((logger) =>
        logger.info(JSON.parse('{"__proto__":{"admin":true}}') as object, 'x'),
      );
      expect(Object.getOwnPropertyDescriptor(record.attributes, '__proto__')?.value).toEqual({
        admin: true,
      });
      expect(Object.getPrototypeOf(record.attributes)).toBe(Object.prototype);
    });

    it('cuts a record nested 1000 deep at maxDepth', () => {
      let deep: Record<string, unknown> = {};
      for (let i = 0; i < 1000; i++) deep = { d: deep };
      const record = mapPinoRecord({ level: 30, deep }, resolvePinoMapping({ maxDepth: 3 }), NOW);
      expect(record.attributes).toEqual({ deep: { d: { d: { d: '[Truncated: depth]' } } } });
    });

    it('never throws, whatever it is given', () => {
      const mapping = resolvePinoMapping();
      const hostile = [
        null,
        42,
        new Proxy(
          {},
          {
            ownKeys: () => {
              throw new Error('keys');
            },
          },
        ),
        new Proxy(
          {},
          {
            get: () => {
              throw new Error('get');
            },
            has: () => true,
            getOwnPropertyDescriptor: () => {
              throw new Error('d');
            },
          },
        ),
      ];
      for (const value of hostile) {
        expect(() => mapPinoRecord(value as never, mapping, NOW)).not.toThrow();
      }
      expect(mapPinoRecord(null as never, mapping, NOW)).toMatchObject({
        timestamp: NOW,
        severityNumber: S.UNSPECIFIED,
        attributes: {},
      });
    });

    it('maps a field whose getter throws as "[Unreadable]"', () => {
      const record = mapPinoRecord(
        {
          level: 30,
          msg: 'x',
          get secret(): string {
            throw new Error('no');
          },
        },
        resolvePinoMapping(),
        NOW,
      );
      expect(record.attributes).toEqual({ secret: '[Unreadable]' });
    });
  });
});

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const GCP = 'logging.googleapis.com';

// Every field name the mapping reads, and names that touch prototypes, among arbitrary ones.
const fieldName = fc.oneof(
  fc.constantFrom(
    'level',
    'time',
    'severity',
    'log.level',
    'timestamp',
    '@timestamp',
    'msg',
    'message',
    'err',
    'error',
    'hostname',
    'pid',
    'trace_id',
    'span_id',
    'trace_flags',
    'traceId',
    'spanId',
    'traceFlags',
    'trace.id',
    'span.id',
    'trace',
    'span',
    `${GCP}/trace`,
    `${GCP}/spanId`,
    `${GCP}/trace_sampled`,
    '__proto__',
    'constructor',
    'toString',
  ),
  fc.string(),
);

// Values a pino line holds in those fields: valid and invalid ids, levels, times, errors.
const fieldValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom(TRACE, TRACE.toUpperCase(), SPAN, '0'.repeat(32), '01', 'FF', 1, 30, 35),
  fc.constantFrom(`projects/p/traces/${TRACE}`, 'info', 'audit', '2023-11-14T22:13:20.0005Z'),
  fc.constantFrom('ERROR', 'WARNING', 'Audit', 'DEFAULT', { seconds: 1_700_000_000, nanos: 5 }),
  fc.constantFrom({ id: TRACE }, { id: SPAN, kind: 'db' }),
  fc.record(
    {
      type: fc.string(),
      message: fc.string(),
      stack: fc.string(),
      code: fc.jsonValue({ maxDepth: 2 }),
      cause: fc.record({ message: fc.string() }),
      aggregateErrors: fc.array(fc.record({ message: fc.string() }), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  ),
);

// Trace fields of every profile, often valid, often several (so consumption is exercised).
const traceId = fc.constantFrom(TRACE, TRACE.toUpperCase(), 'aa'.repeat(16), 'x');
const spanId = fc.constantFrom(SPAN, SPAN.toUpperCase(), 'bb'.repeat(8), 'x');
const traceFields = fc.record(
  {
    trace_id: traceId,
    span_id: spanId,
    trace_flags: fc.constantFrom('01', '0x', 1, 256),
    traceId,
    spanId,
    traceFlags: fc.constantFrom('00', 'ff'),
    'trace.id': traceId,
    'span.id': spanId,
    trace: fc.record({ id: traceId, origin: fc.string() }, { requiredKeys: [] }),
    span: fc.record({ id: spanId }),
    [`${GCP}/trace`]: traceId.map((id) => `projects/p/traces/${id}`),
    [`${GCP}/spanId`]: spanId,
    [`${GCP}/trace_sampled`]: fc.boolean(),
  },
  { requiredKeys: [] },
);

// Through JSON text, as the transport's worker gets a line.
const jsonRecord = fc
  .tuple(traceFields, fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 24 }))
  .map(([trace, entries]) => {
    const record = Object.fromEntries([...Object.entries(trace), ...entries]);
    return JSON.parse(JSON.stringify(record)) as object;
  });

const MAPPINGS: [string, PinoMappingOptions][] = [
  ['the default mapping', {}],
  ['messageKey "message" and errorKey "error"', { messageKey: 'message', errorKey: 'error' }],
  ['messageKey and errorKey naming read fields', { messageKey: 'level', errorKey: 'trace' }],
  ['tight limits', { maxDepth: 2, maxStringLength: 8 }],
  ['flattened attributes', { flattenAttributes: true, severityOverrides: { info: 10 } }],
];

describe('mapPinoRecord', () => {
  const warn = jest.spyOn(diag, 'warn').mockImplementation(() => {});
  afterAll(() => warn.mockRestore());

  describe('with fromJson', () => {
    it.each(MAPPINGS)('maps any JSON record as the general path does, with %s', (_, options) => {
      const mapping = resolvePinoMapping(options);
      fc.assert(
        fc.property(jsonRecord, (record) => {
          const fast = mapPinoRecord(record as Record<string, unknown>, mapping, NOW, true);
          const general = mapPinoRecord(record as Record<string, unknown>, mapping, NOW);
          // Not toStrictEqual: jest compares the `constructor` of two objects by identity, and
          // an own `constructor` field is a fresh object on each side.
          if (!isDeepStrictEqual(fast, general)) expect(fast).toEqual(general);
          expect(isDeepStrictEqual(fast, general)).toBe(true);
          expect(Object.keys(fast.attributes)).toStrictEqual(Object.keys(general.attributes));
        }),
        { numRuns: 300 },
      );
    });

    it('maps any JSON record with custom trace fields as the general path does', () => {
      const mapping = resolvePinoMapping({
        fields: { traceId: 'tid', spanId: 'sid', traceFlags: 'tf' },
      });
      const customFields = fc.record(
        { tid: traceId, sid: spanId, tf: fc.constantFrom('01', '00', 'x', 3) },
        { requiredKeys: [] },
      );
      const record = fc
        .tuple(customFields, jsonRecord)
        .map(([custom, rest]) => ({ ...rest, ...custom }));
      fc.assert(
        fc.property(record, (line) => {
          const fast = mapPinoRecord(line, mapping, NOW, true);
          const general = mapPinoRecord(line, mapping, NOW);
          if (!isDeepStrictEqual(fast, general)) expect(fast).toEqual(general);
          expect(isDeepStrictEqual(fast, general)).toBe(true);
        }),
        { numRuns: 300 },
      );
    });

    it('maps numbers JSON reads as infinite as the general path does', () => {
      const line = JSON.parse('{"level":30,"n":1e400,"m":[-1e400]}') as Record<string, unknown>;
      const mapping = resolvePinoMapping();
      const fast = mapPinoRecord(line, mapping, NOW, true);
      expect(fast).toStrictEqual(mapPinoRecord(line, mapping, NOW));
      expect(fast.attributes).toStrictEqual({ n: 'Infinity', m: ['-Infinity'] });
    });

    it('maps a typical pino line as the general path does', () => {
      const line = JSON.parse(
        JSON.stringify({
          level: 30,
          time: NOW,
          pid: 1,
          hostname: 'h',
          trace_id: TRACE,
          span_id: SPAN,
          trace_flags: '01',
          user: { id: 42 },
          err: { type: 'TypeError', message: 'bad', stack: 'TypeError: bad', code: 'E1' },
          msg: 'hi',
        }),
      ) as Record<string, unknown>;
      const mapping = resolvePinoMapping();
      const fast = mapPinoRecord(line, mapping, NOW, true);
      expect(fast).toStrictEqual(mapPinoRecord(line, mapping, NOW));
      expect(fast.spanContext).toEqual({
        traceId: TRACE,
        spanId: SPAN,
        traceFlags: 1,
        isRemote: true,
      });
      expect(fast.attributes).toStrictEqual({
        user: { id: 42 },
        err: { code: 'E1' },
        'exception.type': 'TypeError',
        'exception.message': 'bad',
        'exception.stacktrace': 'TypeError: bad',
      });
    });
  });
});

describe('convertJsonValue', () => {
  const warn = jest.spyOn(diag, 'warn').mockImplementation(() => {});
  afterAll(() => warn.mockRestore());

  it.each([
    ['the default limits', { maxStringLength: 1_048_576, maxDepth: 32 }],
    ['tight limits', { maxStringLength: 4, maxDepth: 2 }],
  ])('converts any parsed JSON value as toAnyValue does, with %s', (_, limits) => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const parsed: unknown = JSON.parse(JSON.stringify(value));
        const fast = convertJsonValue(parsed, 1, limits);
        expect(isDeepStrictEqual(fast, toAnyValue(parsed, limits))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('hands a value JSON cannot hold to toAnyValue', () => {
    const limits = { maxStringLength: 1024, maxDepth: 32 };
    expect(convertJsonValue(10n, 1, limits)).toBe('10');
    expect(convertJsonValue(undefined, 1, limits)).toBeUndefined();
  });
});
