import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { LogRecordProcessor, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { EncodedLogRecord } from '../../../transports/encode/encode-logs-request.js';
import { ProtoWriter } from '../../../transports/encode/proto-writer.js';
import { createProtobufLogsSerializer } from '../../../transports/encode/logs-serializers.js';
import { writeLogRecord } from '../../../transports/encode/write-log-record.js';
import { SAMPLED, emitRecords, handMadeRecord, typicalEmit } from './log-records.js';
import { decodeLogsRequest } from './otlp-logs-schema.js';

// One serializer for the whole file: every case also runs on a buffer the cases before it
// left dirty, grown or shrunk.
const ours = createProtobufLogsSerializer();

const official = (records: ReadableLogRecord[]) =>
  ProtobufLogsSerializer.serializeRequest(records)!;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const other = resourceFromAttributes({ 'service.name': 'billing', 'host.name': 'h1' });
const attrs = (value: unknown) => ({ value }) as ReadableLogRecord['attributes'];

/** The record as it comes from the winston transport's logging thread: its LogRecord bytes. */
function encoded(record: ReadableLogRecord): EncodedLogRecord {
  const writer = new ProtoWriter();
  writeLogRecord(writer, record);
  return {
    resource: record.resource,
    instrumentationScope: record.instrumentationScope,
    encoded: writer.copyOut(),
  };
}

// Lengths around the writer's thresholds: the 24-char short-string loop, the 43-char bound on
// a one-byte prefix, and the 128-byte and 16 kB varint steps.
const lengths = [0, 1, 23, 24, 25, 42, 43, 127, 128, 129, 16383, 16384];

const cases: [string, () => ReadableLogRecord[]][] = [
  ['an empty batch', () => []],
  ['one typical record', () => emitRecords([typicalEmit(0)])],
  ['a 512-record batch', () => emitRecords(Array.from({ length: 512 }, (_, i) => typicalEmit(i)))],
  [
    'BMP non-ASCII text',
    () => emitRecords([{ body: 'héllo 日本語 ß', attributes: { ключ: 'значение' } }]),
  ],
  [
    'astral characters',
    () => emitRecords([{ body: '😀 emoji 𝄞', attributes: { '🔑': '😀'.repeat(30) } }]),
  ],
  [
    'lone and reversed surrogates (U+FFFD, as TextEncoder)',
    () =>
      emitRecords([
        {
          body: 'a\ud800b',
          attributes: { low: '\udc00', reversed: '\udc00\ud800', long: 'x\ud800'.repeat(40) },
        },
      ]),
  ],
  [
    'ASCII strings at each threshold length',
    () =>
      emitRecords(lengths.map((n) => ({ body: 'a'.repeat(n), attributes: { k: 'b'.repeat(n) } }))),
  ],
  [
    'non-ASCII strings at each threshold length',
    () =>
      emitRecords(
        lengths.map((n) => ({
          body: 'é'.repeat(n),
          attributes: { k: '日'.repeat(n), a: 'a'.repeat(n) + 'é' },
        })),
      ),
  ],
  [
    'huge strings (1 MB ASCII, 1 MB non-ASCII)',
    () =>
      emitRecords([
        { body: 'x'.repeat(1 << 20) },
        { body: 'ü'.repeat(1 << 19) },
        { body: 'after' },
      ]),
  ],
  ['a 5 MB string (buffer let go after it)', () => emitRecords([{ body: 'y'.repeat(5 << 20) }])],
  [
    'negative and large integers',
    () =>
      emitRecords([
        {
          attributes: {
            zero: 0,
            negZero: -0,
            minus1: -1,
            int32min: -(2 ** 31),
            uint32max: 2 ** 32 - 1,
            twoTo32: 2 ** 32,
            maxSafe: Number.MAX_SAFE_INTEGER,
            minSafe: Number.MIN_SAFE_INTEGER,
            twoTo60: 2 ** 60,
            negTwoTo60: -(2 ** 60),
            int64min: -(2 ** 63),
            twoTo63: 2 ** 63,
            twoTo64: 2 ** 64,
            big: 1e300,
          },
        },
      ]),
  ],
  [
    'non-integer numbers',
    () =>
      emitRecords([
        { body: 0.1, attributes: { a: -1.5, b: 1e-300, c: Number.MIN_VALUE, d: Number.EPSILON } },
      ]),
  ],
  [
    'NaN and infinities',
    () => emitRecords([{ body: NaN, attributes: { inf: Infinity, negInf: -Infinity, nan: NaN } }]),
  ],
  [
    'booleans',
    () => emitRecords([{ body: true, attributes: { t: true, f: false, list: [true, false] } }]),
  ],
  [
    'byte arrays',
    () =>
      emitRecords([
        {
          body: new Uint8Array([0, 1, 255]),
          attributes: {
            empty: new Uint8Array(0),
            buffer: Buffer.from('hi'),
            big: new Uint8Array(300).fill(7),
          },
        },
      ]),
  ],
  [
    'nested arrays and maps',
    () =>
      emitRecords([
        {
          body: {
            a: [1, 'two', [3, [4, { five: 5 }]], { six: [6] }],
            b: {},
            c: [],
            d: { e: { f: { g: 'deep' } } },
          },
          attributes: {
            list: [1, 2.5, 'x', null, [], {}],
            map: { '10': 'ten', '2': 'two', z: 'z', a: 'a' },
          },
        },
      ]),
  ],
  [
    'null and undefined values',
    () =>
      emitRecords([
        {
          body: null,
          attributes: {
            n: null,
            u: undefined,
            arr: [null, undefined, 1],
            map: { n: null, u: undefined },
          },
        },
      ]),
  ],
  [
    'a missing body',
    () => emitRecords([{ severityNumber: 13 }, { body: undefined, attributes: { only: 'attrs' } }]),
  ],
  [
    'bodies of every type',
    () =>
      emitRecords([
        { body: '' },
        { body: 42 },
        { body: -7 },
        { body: 2.5 },
        { body: false },
        { body: { k: 'v' } },
        { body: ['a'] },
      ]),
  ],
  [
    'no trace context, sampled, unsampled, other flag bits',
    () =>
      emitRecords([
        { body: 'none' },
        { body: 'sampled', span: SAMPLED },
        { body: 'unsampled', span: { ...SAMPLED, traceFlags: 0 } },
        { body: 'random flag', span: { ...SAMPLED, traceFlags: 3 } },
      ]),
  ],
  [
    'severity, text and event name variants',
    () =>
      emitRecords([
        { severityNumber: 0, severityText: '' },
        { severityNumber: 24, severityText: 'FATAL4', eventName: 'app.crash' },
        { severityNumber: 1, eventName: '' },
      ]),
  ],
  [
    'multiple resources and scopes, interleaved',
    () => {
      const a = emitRecords([
        { body: 'a1' },
        { body: 'b1', logger: 'http', version: '1.0.0' },
        { body: 'a2' },
      ]);
      const b = emitRecords(
        [
          { body: 'c1', logger: 'db' },
          { body: 'c2', logger: 'db' },
        ],
        other,
      );
      return [a[0], b[0], a[1], b[1], a[2]];
    },
  ],
  [
    'dropped attributes (count limit 2)',
    () => {
      const records: ReadableLogRecord[] = [];
      const collect: LogRecordProcessor = {
        onEmit: (r) => void records.push(r),
        forceFlush: async () => {},
        shutdown: async () => {},
      };
      const provider = new LoggerProvider({
        processors: [collect],
        logRecordLimits: { attributeCountLimit: 2 },
      });
      provider
        .getLogger('limited')
        .emit({ body: 'x', attributes: { a: 1, b: 2, c: 3, d: 4, e: 5 } });
      return records;
    },
  ],
  [
    'scope attributes, dropped count and schema URLs',
    () => {
      const [base] = emitRecords([{ body: 'x' }]);
      const scope = {
        name: 's',
        version: '2',
        schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
        attributes: { team: 'core' },
        droppedAttributesCount: 3,
      };
      const resource = resourceFromAttributes(
        { r: 1 },
        { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
      );
      return [handMadeRecord({ ...base, instrumentationScope: scope, resource, attributes: {} })];
    },
  ],
  ['an empty scope name', () => [handMadeRecord({ instrumentationScope: { name: '' } })]],
  [
    'invalid trace and span ids',
    () =>
      [
        '',
        'ABCDEF0123456789ABCDEF0123456789',
        '4bf92f3577b34da6a3ce929d0e0e473',
        'zz-+ü😀!',
        '0',
      ].map((id) =>
        handMadeRecord({ spanContext: { traceId: id, spanId: id.slice(0, 16), traceFlags: 1 } }),
      ),
  ],
  [
    'times at the edges of fixed64',
    () =>
      (
        [
          [0, 0],
          [1, 999_999_999],
          [2 ** 32, 999_999_999],
          [18_446_744_073, 709_551_615],
          [18_446_744_073, 709_551_616],
          [1.5, 0.5],
          [-1, 0],
        ] as const
      ).map(([s, ns]) => handMadeRecord({ hrTime: [s, ns], hrTimeObserved: [ns, s] })),
  ],
  [
    'values sdk-logs would drop: bigint, function, symbol, Date, Map, Int16Array',
    () => [
      handMadeRecord({
        body: 10n as never,
        attributes: attrs([
          () => 1,
          Symbol('s'),
          new Date(0),
          new Map([[1, 2]]),
          new Int16Array([1, -1]),
        ]),
      }),
    ],
  ],
  [
    'inherited enumerable keys (skipped) and integer-like key order',
    () => {
      const proto = { inherited: 'no' };
      const body = Object.assign(Object.create(proto) as object, {
        b: 1,
        '1': 'one',
        a: 2,
        '0': 'zero',
      });
      return [handMadeRecord({ body: body })];
    },
  ],
  [
    'odd attribute counts: non-integer, negative, NaN dropped count',
    () =>
      [1.5, -1, NaN, 2 ** 32].map((n) =>
        handMadeRecord({ droppedAttributesCount: n, severityNumber: n }),
      ),
  ],
  [
    'records around the 128-byte length step, alternating',
    () =>
      emitRecords(
        Array.from({ length: 40 }, (_, i) => ({ body: 'r'.repeat(100 + (i % 2) * 40 + (i >> 1)) })),
      ),
  ],
];

describe('createProtobufLogsSerializer', () => {
  describe.each(cases)('with %s', (_name, make) => {
    const records = make();

    it('writes the same bytes as ProtobufLogsSerializer', () => {
      expect(hex(ours.serializeRequest(records)!)).toBe(hex(official(records)));
    });

    it('decodes, with the OTLP schema, to the same request', () => {
      expect(decodeLogsRequest(ours.serializeRequest(records)!)).toEqual(
        decodeLogsRequest(official(records)),
      );
    });

    it('writes the same bytes when the records come encoded, alone or mixed', () => {
      expect(hex(ours.serializeRequest(records.map(encoded))!)).toBe(hex(official(records)));
      const mixed = records.map((r, i) => (i % 2 === 0 ? encoded(r) : r));
      expect(hex(ours.serializeRequest(mixed)!)).toBe(hex(official(records)));
    });
  });

  it('writes each field with the number and type logs.proto gives it', () => {
    const [record] = emitRecords([
      {
        timestamp: [1_700_000_000, 123_456_789],
        observedTimestamp: [1_700_000_001, 5],
        severityNumber: 17,
        severityText: 'error',
        eventName: 'order.failed',
        body: 'payment declined',
        attributes: {
          n: -3,
          x: 0.5,
          ok: true,
          raw: new Uint8Array([1, 2]),
          list: ['a'],
          map: { k: 1 },
        },
        span: SAMPLED,
      },
    ]);
    const decoded = decodeLogsRequest(ours.serializeRequest([record])!);
    expect(decoded).toEqual({
      resource_logs: [
        {
          resource: {
            attributes: expect.arrayContaining([
              { key: 'service.name', value: { string_value: 'checkout', value: 'string_value' } },
            ]) as unknown,
            dropped_attributes_count: 0, // written as an explicit 0, as the official writer does
          },
          scope_logs: [
            {
              scope: { name: 'tracelink' },
              log_records: [
                {
                  time_unix_nano: '1700000000123456789',
                  observed_time_unix_nano: '1700000001000000005',
                  severity_number: 17,
                  severity_text: 'error',
                  body: { string_value: 'payment declined', value: 'string_value' },
                  attributes: [
                    { key: 'n', value: { int_value: '-3', value: 'int_value' } },
                    { key: 'x', value: { double_value: 0.5, value: 'double_value' } },
                    { key: 'ok', value: { bool_value: true, value: 'bool_value' } },
                    { key: 'raw', value: { bytes_value: 'AQI=', value: 'bytes_value' } },
                    {
                      key: 'list',
                      value: {
                        array_value: { values: [{ string_value: 'a', value: 'string_value' }] },
                        value: 'array_value',
                      },
                    },
                    {
                      key: 'map',
                      value: {
                        kvlist_value: {
                          values: [{ key: 'k', value: { int_value: '1', value: 'int_value' } }],
                        },
                        value: 'kvlist_value',
                      },
                    },
                  ],
                  dropped_attributes_count: 0, // the same
                  flags: 1,
                  trace_id: Buffer.from(SAMPLED.traceId, 'hex').toString('base64'),
                  span_id: Buffer.from(SAMPLED.spanId, 'hex').toString('base64'),
                  event_name: 'order.failed',
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('returns a fresh copy each time: the transport keeps it through retries', () => {
    const first = ours.serializeRequest(emitRecords([{ body: 'first' }]))!;
    const snapshot = hex(first);
    ours.serializeRequest(emitRecords([{ body: 'second, and longer' }]));
    expect(hex(first)).toBe(snapshot);
    expect(first).toBeInstanceOf(Uint8Array);
  });

  it('throws on a circular body, as the official one does, and recovers for the next batch', () => {
    const body: Record<string, unknown> = { name: 'loop' };
    body.self = body;
    const records = [handMadeRecord({ body: body as never })];
    // By message: the RangeError's realm depends on the frame that overflowed (Jest's or Node's).
    expect(() => official(records)).toThrow('Maximum call stack size exceeded');
    expect(() => ours.serializeRequest(records)).toThrow('Maximum call stack size exceeded');
    const next = emitRecords([typicalEmit(1)]);
    expect(hex(ours.serializeRequest(next)!)).toBe(hex(official(next)));
  });

  it('returns an empty request for an empty batch, as the official one does', () => {
    expect(ours.serializeRequest([])).toEqual(new Uint8Array(0));
  });

  it('delegates response decoding to the official serializer', () => {
    // ExportLogsServiceResponse { partial_success { rejected_log_records: 2, error_message: "x" } }
    const response = Uint8Array.from([0x0a, 0x05, 0x08, 0x02, 0x12, 0x01, 0x78]);
    expect(ours.deserializeResponse(response)).toEqual(
      ProtobufLogsSerializer.deserializeResponse(response),
    );
  });
});
