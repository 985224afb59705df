import winston from 'winston';
import { diag } from '@opentelemetry/api';
import { SeverityNumber as S } from '@opentelemetry/api-logs';
import { captureTraceContext, traceFormat } from 'tracelink/winston';
import { mapWinstonRecord, resolveWinstonMapping } from '../../../transports/mapping/winston.js';
import type {
  ResolvedWinstonMapping,
  WinstonMappingOptions,
} from '../../../transports/mapping/winston.js';
import { readRecordLine, RecordLineWriter } from '../../../transports/winston/record-line.js';
import { useTracing } from '../../helpers/tracing.js';
import { captureWinston } from './record-capture.js';

const tracing = useTracing();
const NOW = 1_800_000_000_000;
const { format } = winston;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
// Hands the transport the info objects untouched (winston's default json() would only add
// Symbol.for('message'), which is never an attribute anyway).
const untouched = format((info) => info)();

type MapRecord = typeof mapWinstonRecord;

/**
 * The record the winston transport's worker maps from the line the transport writes for
 * `info` (RecordLineWriter → readRecordLine), logged at `now`. The worker's mapping has no
 * levels and no severity overrides: the severity comes in the line.
 */
function mapThroughLine(info: object, mapping: ResolvedWinstonMapping, now = Date.now()) {
  const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
  try {
    const line = new RecordLineWriter().lineOf(info, mapping);
    const inWorker = { ...mapping, severities: new Map(), severityOverrides: new Map() };
    return readRecordLine(line, inWorker);
  } finally {
    clock.mockRestore();
  }
}

function circular(): object {
  const node: Record<string, unknown> = { name: 'n' };
  node.self = node;
  return node;
}

// Every test runs both ways a winston record is mapped: on the logging thread, and — for the
// transport — from its line, in the worker. The parameter shadows the import on purpose.
describe.each<[string, MapRecord]>([
  ['mapWinstonRecord', mapWinstonRecord],
  ['mapWinstonRecord through a record line (RecordLineWriter → readRecordLine)', mapThroughLine],
])('%s', (_path, mapWinstonRecord) => {
  const warn = jest.spyOn(diag, 'warn').mockImplementation(() => {});
  afterAll(() => warn.mockRestore());

  /** Logs through a real winston logger and maps the info its transport received. */
  function logAndMap(
    log: (logger: winston.Logger) => void,
    loggerOptions: winston.LoggerOptions = {},
    mappingOptions: WinstonMappingOptions = {},
  ) {
    const { logger, infos } = captureWinston(loggerOptions);
    log(logger);
    const info = infos[0] as Record<string, unknown>;
    return { info, record: mapWinstonRecord(info, resolveWinstonMapping(mappingOptions), NOW) };
  }

  describe('with a default winston logger', () => {
    it('maps the info’s fields to the data model', () => {
      const { record } = logAndMap((logger) =>
        logger.info('hello', { user: 'ada', cart: { n: 2 } }),
      );
      expect(record).toEqual({
        timestamp: NOW,
        observedTimestamp: NOW,
        severityNumber: S.INFO,
        severityText: 'info',
        body: 'hello',
        attributes: { user: 'ada', cart: { n: 2 } },
        resource: {},
      });
    });

    it.each([
      ['error', S.ERROR],
      ['warn', S.WARN],
      ['info', S.INFO],
      ['http', S.DEBUG3],
      ['verbose', S.DEBUG2],
      ['debug', S.DEBUG],
      ['silly', S.TRACE],
    ] as const)('maps npm level %s to %d', (level, expected) => {
      const { record } = logAndMap((logger) => logger[level]('x'));
      expect(record).toMatchObject({ severityNumber: expected, severityText: level });
    });

    it('keeps child logger and defaultMeta fields as attributes', () => {
      const { record } = logAndMap((logger) => logger.child({ component: 'db' }).warn('slow'), {
        defaultMeta: { service: 'shop' },
      });
      expect(record).toMatchObject({ body: 'slow', severityText: 'warn' });
      expect(record.attributes).toEqual({ component: 'db', service: 'shop' });
    });

    it('applies splat() and leaves out the splat and message symbols', () => {
      const { info, record } = logAndMap((logger) => logger.info('hi %s', 'there', { a: 1 }), {
        format: format.combine(format.splat(), format.json()),
      });
      expect(info[Symbol.for('splat') as never]).toEqual(['there']);
      expect(record.body).toBe('hi there');
      expect(record.attributes).toEqual({ a: 1 });
    });
  });

  describe('with other level sets', () => {
    it.each([
      ['emerg', S.FATAL],
      ['alert', S.ERROR3],
      ['crit', S.ERROR2],
      ['error', S.ERROR],
      ['warning', S.WARN],
      ['notice', S.INFO2],
      ['info', S.INFO],
      ['debug', S.DEBUG],
    ])('maps syslog level %s to %d', (level, expected) => {
      const levels = winston.config.syslog.levels;
      const { record } = logAndMap(
        (logger) => logger.log(level, 'x'),
        { levels, level: 'debug' },
        { levels },
      );
      expect(record).toMatchObject({ severityNumber: expected, severityText: level });
    });

    it.each([
      ['error', S.ERROR],
      ['warn', S.WARN],
      ['help', S.INFO3],
      ['data', S.INFO2],
      ['info', S.INFO],
      ['debug', S.DEBUG],
      ['prompt', S.TRACE4],
      ['verbose', S.TRACE3],
      ['input', S.TRACE2],
      ['silly', S.TRACE],
    ])('maps cli level %s to %d, through colourising format.cli()', (level, expected) => {
      const levels = winston.config.cli.levels;
      const { info, record } = logAndMap(
        (logger) => logger.log(level, 'x'),
        { levels, format: format.cli() },
        { levels },
      );
      expect(info.level).toContain('\u001b[');
      expect(record).toMatchObject({ severityNumber: expected, severityText: level });
    });

    it('keeps a level outside the mapping’s set as severityText, UNSPECIFIED', () => {
      const levels = winston.config.syslog.levels;
      const { record } = logAndMap((logger) => logger.log('notice', 'x'), {
        levels,
        level: 'debug',
      });
      expect(record).toMatchObject({ severityNumber: S.UNSPECIFIED, severityText: 'notice' });
    });

    it('applies severityOverrides', () => {
      const { record } = logAndMap(
        (logger) => logger.http('x'),
        {},
        { severityOverrides: { http: S.INFO } },
      );
      expect(record.severityNumber).toBe(S.INFO);
    });

    it('strips ANSI colours from info.level when the level symbol is missing', () => {
      const record = mapWinstonRecord(
        { level: '\u001b[33mwarn\u001b[39m', message: 'x' },
        resolveWinstonMapping(),
        NOW,
      );
      expect(record).toMatchObject({
        severityNumber: S.WARN,
        severityText: 'warn',
        attributes: {},
      });
    });
  });

  describe('with a timestamp', () => {
    it('reads format.timestamp()’s ISO string, which is then not an attribute', () => {
      const { info, record } = logAndMap((logger) => logger.info('x'), {
        format: format.timestamp(),
      });
      expect(record.timestamp).toBe(Date.parse(info.timestamp as string));
      expect(record.attributes).toEqual({});
    });

    it('reads an epoch-milliseconds number', () => {
      const epoch = format((info) => Object.assign(info, { timestamp: 1_700_000_000_123 }))();
      const { record } = logAndMap((logger) => logger.info('x'), { format: epoch });
      expect(record.timestamp).toBe(1_700_000_000_123);
    });

    it('reads a Date set by a custom format', () => {
      const dated = format((info) =>
        Object.assign(info, { timestamp: new Date(1_700_000_000_123) }),
      )();
      const { record } = logAndMap((logger) => logger.info('x'), { format: dated });
      expect(record.timestamp).toBe(1_700_000_000_123);
      expect(record.attributes).toEqual({});
    });

    it('reads an ECS format’s `@timestamp` when there is no `timestamp`', () => {
      const iso = new Date(1_700_000_000_123).toISOString();
      const ecs = format((info) =>
        Object.assign(info, { '@timestamp': iso, 'log.level': 'info' }),
      )();
      const { record } = logAndMap((logger) => logger.info('x'), { format: ecs });
      expect(record.timestamp).toBe(1_700_000_000_123);
      expect(record.attributes).toEqual({ 'log.level': 'info' });
    });

    it('prefers `timestamp` to `@timestamp`, which then stays an attribute', () => {
      const both = format((info) =>
        Object.assign(info, { timestamp: 1_700_000_000_123, '@timestamp': 'earlier' }),
      )();
      const { record } = logAndMap((logger) => logger.info('x'), { format: both });
      expect(record.timestamp).toBe(1_700_000_000_123);
      expect(record.attributes).toEqual({ '@timestamp': 'earlier' });
    });

    it('uses now and keeps a timestamp it cannot read as an attribute', () => {
      const { record } = logAndMap((logger) => logger.info('x'), {
        format: format.timestamp({ format: 'HH:mm' }),
      });
      expect(record.timestamp).toBe(NOW);
      expect(record.attributes).toEqual({
        timestamp: expect.stringMatching(/^\d\d:\d\d$/) as unknown,
      });
    });
  });

  describe('with errors', () => {
    const boom = () =>
      Object.assign(new TypeError('boom', { cause: new Error('root') }), { code: 'E1' });

    it('maps logger.error(err), where info is the Error itself', () => {
      const error = boom();
      const { info, record } = logAndMap((logger) => logger.error(error), { format: untouched });
      expect(info).toBe(error);
      expect(record.body).toBe('boom');
      expect(record.attributes).toEqual({
        code: 'E1',
        'exception.type': 'TypeError',
        'exception.message': 'boom',
        'exception.stacktrace': `${error.stack}\nCaused by: ${(error.cause as Error).stack}`,
      });
    });

    it('maps format.errors({ stack: true })', () => {
      const error = boom();
      const { record } = logAndMap((logger) => logger.error(error), {
        format: format.errors({ stack: true }),
      });
      expect(record.body).toBe('boom');
      expect(record.attributes).toEqual({
        code: 'E1',
        'exception.type': 'TypeError',
        'exception.message': 'boom',
        'exception.stacktrace': error.stack,
      });
    });

    it('maps logger.error(message, err), taking type and message from the stack', () => {
      const error = boom();
      const { record } = logAndMap((logger) => logger.error('failed', error), {
        format: untouched,
      });
      expect(record.body).toBe('failed boom');
      expect(record.attributes).toEqual({
        code: 'E1',
        'exception.type': 'TypeError',
        'exception.message': 'boom',
        'exception.stacktrace': `${error.stack}\nCaused by: ${(error.cause as Error).stack}`,
      });
    });

    it('maps an Error in a meta field, keeping its extra props under the key', () => {
      const error = boom();
      const { record } = logAndMap((logger) => logger.warn('retrying', { error, attempt: 2 }), {
        format: untouched,
      });
      expect(record.body).toBe('retrying');
      expect(record.attributes).toEqual({
        error: { code: 'E1' },
        attempt: 2,
        'exception.type': 'TypeError',
        'exception.message': 'boom',
        'exception.stacktrace': `${error.stack}\nCaused by: ${(error.cause as Error).stack}`,
      });
    });

    it('keeps a `stack` meta field that is no error’s stack as an attribute', () => {
      const { record } = logAndMap((logger) =>
        logger.info('deployed', { stack: 'node, postgres' }),
      );
      expect(record.attributes).toEqual({ stack: 'node, postgres' });
    });

    it('keeps a live error’s own `type` field as an attribute', () => {
      const error = Object.assign(new SyntaxError('bad json'), { type: 'entity.parse.failed' });
      const { record } = logAndMap((logger) => logger.error(error), { format: untouched });
      expect(record.attributes).toMatchObject({
        type: 'entity.parse.failed',
        'exception.type': 'SyntaxError',
      });
    });

    it('maps only the first Error field; a second one is an ordinary map', () => {
      const first = new Error('first');
      const second = new RangeError('second');
      const { record } = logAndMap((logger) => logger.info('x', { first, second }), {
        format: untouched,
      });
      expect(record.attributes['exception.message']).toBe('first');
      expect(record.attributes.second).toEqual({
        type: 'RangeError',
        message: 'second',
        stack: second.stack,
      });
    });
  });

  describe('with the trace context', () => {
    it('takes the context captureTraceContext captured at the log call', () => {
      const { logger, infos } = captureWinston({
        format: format.combine(traceFormat(), format.json()),
      });
      captureTraceContext(logger);
      const expected = tracing.tracer.startActiveSpan('op', (span) => {
        logger.info('inside');
        span.end();
        return span.spanContext();
      });
      const record = mapWinstonRecord(infos[0] ?? {}, resolveWinstonMapping(), NOW);
      expect(record.spanContext).toMatchObject({
        traceId: expected.traceId,
        spanId: expected.spanId,
        traceFlags: expected.traceFlags,
      });
      // traceFormat() stamped the same ids: they are not attributes as well.
      expect(record.attributes).toEqual({});
    });

    it('has no span context when the captured context has no span', () => {
      const { logger, infos } = captureWinston();
      captureTraceContext(logger).info('outside');
      const record = mapWinstonRecord(infos[0] ?? {}, resolveWinstonMapping(), NOW);
      expect(infos[0]?.[Symbol.for('tracelink.captured-context') as never]).toBeDefined();
      expect(record.spanContext).toBeUndefined();
    });

    it.each([
      ['otel', {}, 1],
      ['camel', { fields: 'camel' as const }, 1],
      ['ecs', { fields: 'ecs' as const }, 0],
      ['gcp', { fields: 'gcp' as const, gcpProjectId: 'proj' }, 1],
    ])('falls back to traceFormat()’s %s fields', (_profile, options, flags) => {
      const { logger, infos } = captureWinston({ format: traceFormat(options) });
      const expected = tracing.tracer.startActiveSpan('op', (span) => {
        logger.info('inside', { user: 'ada' });
        span.end();
        return span.spanContext();
      });
      const record = mapWinstonRecord(infos[0] ?? {}, resolveWinstonMapping(), NOW);
      expect(record.spanContext).toEqual({
        traceId: expected.traceId,
        spanId: expected.spanId,
        traceFlags: flags,
        isRemote: true,
      });
      expect(record.attributes).toEqual({ user: 'ada' });
    });
  });

  describe('with custom trace fields', () => {
    const fields = { traceId: 'tid', spanId: 'sid', traceFlags: 'tf' };

    it('consumes traceFormat()’s custom fields that repeat the captured context', () => {
      const { logger, infos } = captureWinston({ format: traceFormat({ fields }) });
      captureTraceContext(logger);
      const expected = tracing.tracer.startActiveSpan('op', (span) => {
        logger.info('inside', { user: 'ada' });
        span.end();
        return span.spanContext();
      });
      const record = mapWinstonRecord(infos[0] ?? {}, resolveWinstonMapping({ fields }), NOW);
      expect(record.spanContext).toMatchObject(expected);
      expect(record.attributes).toEqual({ user: 'ada' });
    });

    it('reads them into the span context without a captured context', () => {
      const { record } = logAndMap(
        (logger) => logger.info('carried', { tid: TRACE_ID, sid: SPAN_ID, tf: '01', user: 'ada' }),
        {},
        { fields },
      );
      expect(record.spanContext).toEqual({
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        traceFlags: 1,
        isRemote: true,
      });
      expect(record.attributes).toEqual({ user: 'ada' });
    });

    it('keeps them as attributes without the fields option', () => {
      const { record } = logAndMap((logger) =>
        logger.info('carried', { tid: TRACE_ID, sid: SPAN_ID }),
      );
      expect(record.spanContext).toBeUndefined();
      expect(record.attributes).toEqual({ tid: TRACE_ID, sid: SPAN_ID });
    });
  });

  describe('with flattenAttributes', () => {
    it('writes nested meta as dotted keys', () => {
      const { record } = logAndMap(
        (logger) => logger.info('x', { http: { status: 200 } }),
        {},
        { flattenAttributes: true },
      );
      expect(record.attributes).toEqual({ 'http.status': 200 });
    });
  });

  describe('with hostile values in meta', () => {
    const throwing = new Proxy(
      { ok: 1 },
      {
        get: () => {
          throw new Error('nope');
        },
      },
    );
    it.each<[string, unknown, unknown]>([
      ['a circular reference', circular(), { name: 'n', self: '[Circular]' }],
      ['a BigInt', 2n ** 70n, '1180591620717411303424'],
      ['a Symbol', Symbol.for('s'), 'Symbol(s)'],
      ['a Buffer', Buffer.from([1, 2]), new Uint8Array([1, 2])],
      ['a Map', new Map([[1, 'one']]), { 1: 'one' }],
      ['a Set', new Set(['a']), ['a']],
      ['a Date', new Date(0), '1970-01-01T00:00:00.000Z'],
      ['an invalid Date', new Date('nope'), 'Invalid Date'],
      ['NaN', NaN, 'NaN'],
      ['Infinity', Infinity, 'Infinity'],
      ['-Infinity', -Infinity, '-Infinity'],
      ['a lone surrogate', '\uD800x', '\uFFFDx'],
      ['a Proxy whose getter throws', throwing, { ok: '[Unreadable]' }],
    ])('maps %s', (_case, value, expected) => {
      const { record } = logAndMap((logger) => logger.info('x', { value }), { format: untouched });
      expect(record.attributes).toStrictEqual({ value: expected });
    });

    it.each([
      ['a function', () => 1],
      ['undefined', undefined],
    ])('drops %s', (_case, value) => {
      const { record } = logAndMap((logger) => logger.info('x', { value, kept: 1 }), {
        format: untouched,
      });
      expect(record.attributes).toStrictEqual({ kept: 1 });
    });

    it('cuts a 5 MB message and replaces its lone surrogates', () => {
      const { record } = logAndMap(
        (logger) => logger.info(`\uDC00${'m'.repeat(5 * 1024 * 1024)}`),
        { format: untouched },
      );
      expect(record.body).toBe(`\uFFFD${'m'.repeat(1_048_575)}…[truncated 4194305 chars]`);
    });

    it('never throws, whatever it is given', () => {
      const mapping = resolveWinstonMapping();
      const revoked = Proxy.revocable({}, {});
      revoked.revoke();
      for (const value of [
        null,
        'text',
        revoked.proxy,
        new Proxy(
          {},
          {
            ownKeys: () => {
              throw new Error('k');
            },
          },
        ),
      ]) {
        expect(() => mapWinstonRecord(value as never, mapping, NOW)).not.toThrow();
      }
      // Every read of a revoked Proxy throws: its message is unreadable, its keys unlisted.
      expect(mapWinstonRecord(revoked.proxy, mapping, NOW)).toMatchObject({
        body: '[Unreadable]',
        severityText: '',
        attributes: {},
      });
    });
  });
});
