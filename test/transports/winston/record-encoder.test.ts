import fc from 'fast-check';
import { diag } from '@opentelemetry/api';
import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { toEmitInput } from '../../../transports/mapping/mapped-log-record.js';
import type { MappedLogRecord } from '../../../transports/mapping/mapped-log-record.js';
import { restorePrefixedKeys } from '../../../transports/mapping/sdk-attribute-keys.js';
import { createProtobufLogsSerializer } from '../../../transports/encode/logs-serializers.js';
import { ProtobufRecordEncoder } from '../../../transports/winston/record-encoder.js';
import { mappedRecord } from '../../helpers/mapped-record.js';
import { text, number } from '../encode/record-arbitraries.js';

const resource = resourceFromAttributes({ 'service.name': 'api' });
const scope = { name: 'tracelink' };
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The request bytes of the sdk-logs path: Logger.emit, then the official serializer. */
function viaSdkLogs(records: readonly MappedLogRecord[]): string {
  const emitted: ReadableLogRecord[] = [];
  const provider = new LoggerProvider({
    resource,
    processors: [
      {
        onEmit: (record, context) => {
          restorePrefixedKeys(record, context);
          emitted.push(record);
        },
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      },
    ],
  });
  const logger = provider.getLogger('tracelink');
  for (const record of records) logger.emit(toEmitInput(record));
  return hex(ProtobufLogsSerializer.serializeRequest(emitted)!);
}

/** The request bytes of the encoded records, as the worker's exporter writes them. */
function viaEncoder(records: readonly MappedLogRecord[]): string {
  const encoder = new ProtobufRecordEncoder();
  const encoded = records.map((record) => ({
    resource,
    instrumentationScope: scope,
    encoded: encoder.encode(record),
  }));
  return hex(createProtobufLogsSerializer().serializeRequest(encoded)!);
}

// What a mapping gives: AnyValues without undefined, NaN or infinities (strings by then),
// maps with any keys (`__proto__`, `constructor`, '' among them), bytes.
const key = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 1, arbitrary: fc.constantFrom('', '__proto__', 'constructor', '\u0000x') },
);
const mappedValue: fc.Arbitrary<AnyValue> = fc.letrec<{ value: AnyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    number.filter((n) => Number.isFinite(n)),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 20 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  ),
})).value;
/** A valid id (not all zero) of `bytes` bytes, in lower-case hex, as a mapping leaves it. */
const hexId = (bytes: number) =>
  fc
    .uint8Array({ minLength: bytes, maxLength: bytes })
    .filter((b) => b.some((byte) => byte !== 0))
    .map((b) => Buffer.from(b).toString('hex'));
const mapped: fc.Arbitrary<MappedLogRecord> = fc.record({
  timestamp: fc.double({ min: -1e13, max: 4e12, noNaN: true }),
  observedTimestamp: fc.double({ min: 0, max: 4e12, noNaN: true }),
  severityNumber: fc.integer({ min: 0, max: 24 }),
  severityText: text,
  body: mappedValue,
  attributes: fc.dictionary(key, mappedValue, { maxKeys: 6 }),
  spanContext: fc.option(
    fc.record({ traceId: hexId(16), spanId: hexId(8), traceFlags: fc.nat(255) }),
    { nil: undefined },
  ),
  resource: fc.constant({}),
});

describe('ProtobufRecordEncoder', () => {
  const warn = jest.spyOn(diag, 'warn').mockImplementation(() => {});
  afterAll(() => warn.mockRestore());

  it('encodes any mapped record as the sdk-logs path does, byte for byte', () => {
    fc.assert(
      fc.property(fc.array(mapped, { minLength: 1, maxLength: 4 }), (records) => {
        expect(viaEncoder(records)).toBe(viaSdkLogs(records));
      }),
      { numRuns: 300 },
    );
  });

  it('drops a top-level attribute with an empty key, uncounted, as sdk-logs does', () => {
    const record = mappedRecord({ attributes: { '': 1, kept: { '': 2 } } });
    expect(viaEncoder([record])).toBe(viaSdkLogs([record]));
    expect(warn).toHaveBeenCalledWith('Invalid attribute key: ');
  });

  it('keeps 128 attributes and counts the rest, an empty key not among them', () => {
    const attributes: AnyValueMap = { '': 0 };
    for (let i = 0; i < 140; i++) attributes[`k${i}`] = i;
    const record = mappedRecord({ attributes });
    expect(viaEncoder([record])).toBe(viaSdkLogs([record]));
  });

  it('reuses its buffer: each record’s bytes are its own copy', () => {
    const encoder = new ProtobufRecordEncoder();
    const first = encoder.encode(mappedRecord({ body: 'x'.repeat(10_000) }));
    const copy = Buffer.from(first);
    encoder.encode(mappedRecord({ body: 'y' }));
    expect(Buffer.from(first).equals(copy)).toBe(true);
  });
});
