import fc from 'fast-check';
import winstonLib from 'winston';
import { diag } from '@opentelemetry/api';
import { captureTraceContext } from 'tracelink/winston';
import { mapWinstonRecord, resolveWinstonMapping } from '../../../transports/mapping/winston.js';
import { toEmitInput } from '../../../transports/mapping/mapped-log-record.js';
import type { MappedLogRecord } from '../../../transports/mapping/mapped-log-record.js';
import {
  fromRecordLine,
  toRecordLine,
  recordLineFormatFor,
  ProtobufRecordLines,
  fromProtobufRecordLine,
  readRecordLine,
  RecordLineWriter,
} from '../../../transports/winston/record-line.js';
import { ProtobufRecordEncoder } from '../../../transports/winston/record-encoder.js';
import { setUpTracing } from '../../helpers/tracing.js';
import { captureWinston } from '../mapping/record-capture.js';
import { mappedRecord } from '../../helpers/mapped-record.js';
import { resolveOtlpOptions } from '../../../transports/options/resolve-otlp-options.js';
import type { OtlpExportOptions } from '../../../transports/options/otlp-options.js';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { createProtobufLogsSerializer } from '../../../transports/encode/logs-serializers.js';
import { decodeLogsRequest } from '../encode/otlp-logs-schema.js';
import { typedRecordsOfProtobuf } from '../encode/any-values.js';

const mapped = mappedRecord;

describe('toRecordLine / fromRecordLine', () => {
  it('round-trips a mapped record: body, severity, attributes, resource and span context', () => {
    const record = mapped({ resource: { 'host.name': 'web-1', 'process.pid': 7 } });
    expect(fromRecordLine(toRecordLine(record))).toEqual(record);
  });

  it('writes one line, whatever the strings hold', () => {
    const record = mapped({ body: 'line one\nline two\r\n', attributes: { sep: '\u2028\u2029' } });
    const line = toRecordLine(record);
    expect(line).not.toMatch(/[\n\r]/);
    expect(fromRecordLine(line)).toEqual(record);
  });

  describe('with bytes (OTLP bytesValue)', () => {
    it.each([
      ['an attribute', { attributes: { digest: new Uint8Array([0, 1, 254, 255]) } }],
      ['the body', { body: new Uint8Array([104, 105]) }],
      ['an empty attribute', { attributes: { none: new Uint8Array(0) } }],
      ['a list', { attributes: { chunks: [new Uint8Array([1]), 'text', new Uint8Array([2])] } }],
      ['a nested map', { attributes: { frame: { header: new Uint8Array([9, 9]), size: 2 } } }],
    ])('keeps Uint8Array in %s as Uint8Array', (_where, overrides: Partial<MappedLogRecord>) => {
      const record = mapped(overrides);
      // toEqual tells a Uint8Array from an array or an object with the same entries.
      expect(fromRecordLine(toRecordLine(record))).toEqual(record);
    });

    it('carries a Buffer logged through winston as the same bytes', () => {
      const { logger, infos } = captureWinston();
      logger.info('upload', { payload: Buffer.from('héllo'), parts: [Buffer.from([1, 2, 3])] });
      const record = mapWinstonRecord(infos[0] ?? {}, resolveWinstonMapping({}));
      const back = fromRecordLine(toRecordLine(record));
      expect(back.attributes.payload).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(back.attributes.payload as Uint8Array).toString()).toBe('héllo');
      expect(back.attributes.parts).toEqual([new Uint8Array([1, 2, 3])]);
      expect(back).toEqual(record);
    });
  });
});

describe('recordLineFormatFor', () => {
  it.each<[string, OtlpExportOptions, NodeJS.ProcessEnv, 'json' | 'protobuf']>([
    ['the default (OTLP/HTTP protobuf)', {}, {}, 'protobuf'],
    ['http/protobuf given', { protocol: 'http/protobuf' }, {}, 'protobuf'],
    ['http/json', { protocol: 'http/json' }, {}, 'json'],
    ['grpc', { protocol: 'grpc' }, {}, 'protobuf'],
    ['grpc from the environment', {}, { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc' }, 'protobuf'],
    ['http/json from the environment', {}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, 'json'],
    ['the console exporter', {}, { OTEL_LOGS_EXPORTER: 'console' }, 'json'],
    ['the none exporter', { exporter: 'none' }, {}, 'json'],
    ['OTEL_SDK_DISABLED', {}, { OTEL_SDK_DISABLED: 'true' }, 'json'],
  ])('%s → %s lines', (_name, options, env, expected) => {
    expect(recordLineFormatFor(resolveOtlpOptions(options, env))).toBe(expected);
  });
});

const resource = resourceFromAttributes({ 'service.name': 'api' });
// One scope object, as the worker's pipeline has: the serializer groups records by identity.
const scope = { name: 'tracelink' };
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** 'the same' or where two hex strings first differ: short enough to read in a failure. */
function compare(ours: string, theirs: string): string {
  if (ours === theirs) return 'the same';
  let at = 0;
  while (ours[at] === theirs[at]) at++;
  return `lengths ${ours.length / 2} vs ${theirs.length / 2}, first difference at byte ${at >> 1}`;
}

/** The request the worker's sdk-logs path sends for `records` (JSON lines, before this). */
function viaSdkLogsInWorker(records: readonly MappedLogRecord[]): string {
  const emitted: ReadableLogRecord[] = [];
  const provider = new LoggerProvider({
    resource,
    processors: [
      {
        onEmit: (r) => void emitted.push(r),
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      },
    ],
  });
  const logger = provider.getLogger('tracelink');
  for (const record of records) logger.emit(toEmitInput(record));
  return hex(ProtobufLogsSerializer.serializeRequest(emitted)!);
}

/** The request the worker sends for the same records written as encoded lines. */
function viaEncodedLines(records: readonly MappedLogRecord[]): string {
  const lines = new ProtobufRecordLines();
  const encoded = records.map((record) => ({
    resource,
    instrumentationScope: scope,
    encoded: fromProtobufRecordLine(lines.lineOf(record)),
  }));
  return hex(createProtobufLogsSerializer().serializeRequest(encoded)!);
}

const winston = resolveWinstonMapping({});
const fromWinston = (info: Record<string | symbol, unknown>) => mapWinstonRecord(info, winston);
const failure = new Error('save failed', { cause: new Error('disk full') });
const manyAttributes = Object.fromEntries(Array.from({ length: 130 }, (_, i) => [`k${i}`, i]));

const cases: [string, MappedLogRecord][] = [
  ['a typical record with a span', mappedRecord()],
  ['no span context', mappedRecord({ spanContext: undefined })],
  [
    'an unsampled span',
    mappedRecord({ spanContext: { ...mappedRecord().spanContext!, traceFlags: 0 } }),
  ],
  [
    'a time before 1970 and a fractional one',
    mappedRecord({ timestamp: -5, observedTimestamp: 0.25 }),
  ],
  [
    'bytes, nulls and deep maps',
    mappedRecord({
      body: new Uint8Array([0, 10, 255]),
      attributes: { raw: Buffer.from('\n'), none: null, deep: { a: { b: { c: [1, 'x'] } } } },
    }),
  ],
  [
    'non-ASCII and lone surrogates',
    mappedRecord({ body: 'héllo 日本 😀 \ud800', attributes: { ключ: 'значение' } }),
  ],
  ['a structured body', mappedRecord({ body: { order: 7, items: ['a', 'b'] } })],
  ['more attributes than the sdk-logs limit (128)', mappedRecord({ attributes: manyAttributes })],
  [
    'a winston error record',
    fromWinston({
      level: 'error',
      message: 'could not save',
      error: failure,
      [Symbol.for('level')]: 'error',
    }),
  ],
  [
    'a winston record with meta',
    fromWinston({
      level: 'http',
      message: 'GET /orders',
      status: 200,
      [Symbol.for('level')]: 'http',
    }),
  ],
];

describe('ProtobufRecordLines', () => {
  it.each(cases)(
    'sends %s as the worker’s sdk-logs path sends it, byte for byte',
    (_name, record) => {
      expect(compare(viaEncodedLines([record]), viaSdkLogsInWorker([record]))).toBe('the same');
    },
  );

  it('sends a batch of all of them as the sdk-logs path sends it', () => {
    const records = cases.map(([, record]) => record);
    expect(compare(viaEncodedLines(records), viaSdkLogsInWorker(records))).toBe('the same');
  });

  it('keeps sdk-logs’ attribute limit: 128 kept, the rest counted as dropped', () => {
    const request = decodeLogsRequest(
      Buffer.from(viaEncodedLines([mappedRecord({ attributes: manyAttributes })]), 'hex'),
    );
    expect(request).toMatchObject({
      resource_logs: [
        {
          scope_logs: [
            {
              log_records: [
                { attributes: expect.any(Array) as unknown, dropped_attributes_count: 2 },
              ],
            },
          ],
        },
      ],
    });
    const [resourceLogs] = request.resource_logs as {
      scope_logs: { log_records: { attributes: unknown[] }[] }[];
    }[];
    expect(resourceLogs.scope_logs[0].log_records[0].attributes).toHaveLength(128);
  });

  it('writes one line per record: base64, never a newline, whatever the record holds', () => {
    const lines = new ProtobufRecordLines();
    for (const [, record] of cases) {
      expect(lines.lineOf(record)).toMatch(/^[A-Za-z0-9+/]+=*$/);
    }
  });

  it('reuses its buffer: after a long record, a short one is written as a fresh encoder writes it', () => {
    const lines = new ProtobufRecordLines();
    const long = mappedRecord({ body: 'x'.repeat(100_000) });
    const short = mappedRecord({ body: 'y' });
    const longLine = lines.lineOf(long);
    const shortLine = lines.lineOf(short);
    expect(longLine).toBe(new ProtobufRecordLines().lineOf(long));
    expect(shortLine).toBe(new ProtobufRecordLines().lineOf(short));
    expect(fromProtobufRecordLine(shortLine).length).toBeLessThan(200);
  });

  it('keeps a nested constructor or __proto__ key as data, which sdk-logs alone loses', () => {
    const { logger, infos } = captureWinston();
    logger.info('signed up', {
      user: { constructor: 'x', name: 'alice' },
      p: JSON.parse('{"__proto__":{"admin":true},"b":2}') as object,
    });
    const record = mapWinstonRecord(infos[0] ?? {}, winston);
    const [sent] = typedRecordsOfProtobuf(Buffer.from(viaEncodedLines([record]), 'hex'));
    expect(sent?.attributes).toEqual({
      user: { constructor: 'x', name: 'alice' },
      // Object.fromEntries makes an own __proto__ key, as JSON.parse does.
      p: Object.fromEntries([
        ['__proto__', { admin: true }],
        ['b', 2n],
      ]) as object,
    });
  });
});

describe('RecordLineWriter and readRecordLine', () => {
  const tracing = setUpTracing();
  afterAll(() => tracing.shutdown());
  const warn = jest.spyOn(diag, 'warn').mockImplementation(() => {});
  afterAll(() => warn.mockRestore());
  const NOW = 1_800_000_000_000;
  const encoder = new ProtobufRecordEncoder();
  const mapping = resolveWinstonMapping({});
  // The worker's mapping: the severity comes in the line.
  const inWorker = { ...mapping, severities: new Map(), severityOverrides: new Map() };

  /** The line a fresh transport writes for `info`, logged at NOW. */
  function lineOf(info: object): string {
    const clock = jest.spyOn(Date, 'now').mockReturnValue(NOW);
    try {
      return new RecordLineWriter().lineOf(info, mapping);
    } finally {
      clock.mockRestore();
    }
  }

  /** The OTLP bytes of `info`: mapped on the logging thread, and read from its line. */
  function bothWays(info: object): { direct: string; viaLine: string; line: string } {
    const line = lineOf(info);
    return {
      direct: hex(encoder.encode(mapWinstonRecord(info, mapping, NOW))),
      viaLine: hex(encoder.encode(readRecordLine(line, inWorker))),
      line,
    };
  }

  /** What a real winston logger, wrapped by captureTraceContext, hands its transport. */
  function logged(
    log: (logger: winstonLib.Logger) => void,
    options: winstonLib.LoggerOptions = {},
  ): object {
    const { logger, infos } = captureWinston(options);
    captureTraceContext(logger);
    tracing.tracer.startActiveSpan('op', (span) => {
      log(logger);
      span.end();
    });
    return infos[0] ?? {};
  }

  it('writes a record of plain data as its JSON behind a header, one line', () => {
    const info = logged((logger) => logger.info('hello\nworld', { n: 1, user: { id: 'ada' } }));
    const { direct, viaLine, line } = bothWays(info);
    expect(line).toMatch(/^j[A-Y]\.\+[0-9a-f]{50}l1800000000000\{/);
    expect(line.slice(line.indexOf('{'))).toBe(JSON.stringify(info));
    expect(line).not.toMatch(/[\n\r]/);
    expect(viaLine).toBe(direct);
  });

  it('maps any other record on the logging thread and writes the mapped record', () => {
    const info = logged((logger) => logger.error('failed', { error: new Error('boom') }));
    const { direct, viaLine, line } = bothWays(info);
    expect(line.startsWith('m{')).toBe(true);
    expect(viaLine).toBe(direct);
  });

  class Money {
    constructor(readonly cents: number) {}
    toJSON(): string {
      return `${this.cents / 100} EUR`;
    }
  }
  const cyclic: Record<string, unknown> = { name: 'n' };
  cyclic.self = cyclic;
  const aggregate = new AggregateError([new Error('a'), new TypeError('b')], 'many failed');

  const { format } = winstonLib;
  const none: winstonLib.LoggerOptions = {};
  it.each<[string, (logger: winstonLib.Logger) => void, winstonLib.LoggerOptions]>([
    ['nested plain meta', (l) => l.info('x', { a: { b: [1, 'two', null, { c: true }] } }), none],
    ['-0, 2^63 and tiny doubles', (l) => l.info('x', { z: -0, b: 2 ** 63, t: 5e-324 }), none],
    [
      'undefined, functions and holes',
      // eslint-disable-next-line no-sparse-arrays -- the hole is the case
      (l) => l.info('x', { u: undefined, f: () => 1, h: [1, , 3] }),
      none,
    ],
    ['lone surrogates in keys and values', (l) => l.info('\ud800', { '\udc00k': 'v\ud800' }), none],
    [
      '__proto__ and constructor keys',
      (l) => l.info('x', JSON.parse('{"__proto__":{"a":1},"o":{"constructor":"c"}}') as object),
      none,
    ],
    ['an Error in meta', (l) => l.warn('retrying', { error: new Error('boom'), attempt: 2 }), none],
    ['logger.error(err)', (l) => l.error(new TypeError('bad input')), none],
    [
      'logger.error(message, err) with a cause',
      (l) => l.error('failed', new Error('outer', { cause: new Error('inner') })),
      none,
    ],
    ['an AggregateError', (l) => l.error('batch', { error: aggregate }), none],
    [
      'format.errors({ stack: true })',
      (l) => l.error(new RangeError('out')),
      { format: format.errors({ stack: true }) },
    ],
    [
      'a Buffer and a Uint8Array',
      (l) => l.info('x', { buf: Buffer.from('hé'), u8: new Uint8Array([0, 255]) }),
      none,
    ],
    [
      'a Map and a Set',
      (l) =>
        l.info('x', {
          m: new Map<unknown, unknown>([
            [1, 'one'],
            ['k', { v: 2 }],
          ]),
          s: new Set([1]),
        }),
      none,
    ],
    ['a BigInt', (l) => l.info('x', { id: 12345678901234567890123n }), none],
    ['Dates, valid and not', (l) => l.info('x', { at: new Date(0), bad: new Date('nope') }), none],
    ['a symbol value', (l) => l.info('x', { s: Symbol('s') }), none],
    ['NaN and the infinities', (l) => l.info('x', { a: NaN, b: Infinity, c: -Infinity }), none],
    ['a circular reference', (l) => l.info('x', { node: cyclic }), none],
    [
      // Nested: winston copies the top-level fields of the meta, reading each getter once.
      'a getter that throws',
      (l) =>
        l.info('x', {
          nested: {
            get boom(): never {
              throw new Error('getter');
            },
            ok: 1,
          },
        }),
      // Not winston's default json(), which would throw on it before any transport.
      { format: format((info) => info)() },
    ],
    ['a class instance with toJSON', (l) => l.info('x', { price: new Money(1250) }), none],
    ['a string longer than maxStringLength', (l) => l.info('m'.repeat(1_048_577)), none],
    ['a timestamp format', (l) => l.info('x'), { format: format.timestamp() }],
    ['a colourised level', (l) => l.warn('x'), { format: format.colorize() }],
    [
      'a level outside the mapping’s set',
      (l) => l.log('audit', 'x'),
      { levels: { error: 0, audit: 1, info: 2 }, level: 'info' },
    ],
  ])('gives the same OTLP record both ways for %s', (_case, log, options) => {
    const { direct, viaLine } = bothWays(logged(log, options));
    expect(viaLine).toBe(direct);
  });

  it('gives the same OTLP record both ways for any meta, whatever it holds', () => {
    const meta = fc.dictionary(
      fc.string({ maxLength: 6 }),
      fc.anything({
        maxDepth: 3,
        withBigInt: true,
        withBoxedValues: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withObjectString: true,
        withSparseArray: true,
        withTypedArray: true,
        withUnicodeString: true,
      }),
      { maxKeys: 5 },
    );
    fc.assert(
      fc.property(meta, fc.constantFrom('info', 'warn', 'error'), (fields, level) => {
        const info = logged((logger) => logger.log(level, 'message', fields));
        const { direct, viaLine } = bothWays(info);
        expect(viaLine).toBe(direct);
      }),
      { numRuns: 300 },
    );
  });

  it('carries a record without a level name (UNSPECIFIED, no severity text)', () => {
    const { direct, viaLine, line } = bothWays({ message: 'no level', n: 1 });
    expect(line.startsWith('j--')).toBe(true);
    expect(viaLine).toBe(direct);
  });

  it('carries a severity text that is not the level field', () => {
    const info = { level: 'info', message: 'x', [Symbol.for('level')]: 'warn' };
    const { direct, viaLine, line } = bothWays(info);
    expect(line.startsWith('jN#6:"warn"-')).toBe(true);
    expect(viaLine).toBe(direct);
  });

  it('reads a line it cannot read as an "[Unreadable]" record, never throwing', () => {
    for (const line of ['', 'x{}', 'j', 'jA.-1800000000000{', 'm{"timestamp"']) {
      expect(readRecordLine(line, inWorker).body).toBe('[Unreadable]');
    }
  });
});
