import fc from 'fast-check';
import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer';
import {
  createJsonLogsSerializer,
  createProtobufLogsSerializer,
} from '../../../transports/encode/logs-serializers.js';
import { toWellFormed } from '../../../transports/mapping/safe-values.js';
import { typedRecordsOfJson, typedRecordsOfProtobuf } from './any-values.js';
import type { TypedRecord, TypedValue } from './any-values.js';
import { emitRecords, handMadeRecord, typicalEmit } from './log-records.js';
import { record } from './record-arbitraries.js';

const json = createJsonLogsSerializer();
const protobuf = createProtobufLogsSerializer();
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

/** The AnyValue of attribute `n`, as the JSON request carries it. */
function sentJsonValue(value: number): unknown {
  const body = JSON.parse(
    text(json.serializeRequest(emitRecords([{ attributes: { n: value } }]))!),
  ) as {
    resourceLogs: { scopeLogs: { logRecords: { attributes: { value: unknown }[] }[] }[] }[];
  };
  return body.resourceLogs[0].scopeLogs[0].logRecords[0].attributes[0].value;
}

// Strings as the collector reads them: a lone surrogate is U+FFFD in protobuf (UTF-8 has no
// encoding for it) and an escape in JSON, which the collector's JSON reader turns into U+FFFD.
function wellFormed(value: TypedValue): TypedValue {
  if (typeof value === 'string') return toWellFormed(value);
  if (Array.isArray(value)) return value.map(wellFormed);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [toWellFormed(k), wellFormed(v)]),
  );
}

const wellFormedRecord = (r: TypedRecord) => ({
  ...r,
  body: wellFormed(r.body),
  attributes: wellFormed(r.attributes),
});

describe('createJsonLogsSerializer', () => {
  describe('numbers', () => {
    it.each([
      ['a safe integer', 42, { intValue: 42 }],
      ['the largest safe integer', 2 ** 53 - 1, { intValue: 2 ** 53 - 1 }],
      ['2^53 + 2, as its exact digits', 2 ** 53 + 2, { intValue: '9007199254740994' }],
      ['-(2^53) - 2', -(2 ** 53) - 2, { intValue: '-9007199254740994' }],
      // JSON.stringify writes 9223372036854775000: digits that are not the value.
      ['the largest double below 2^63', 2 ** 63 - 1024, { intValue: '9223372036854774784' }],
      ['-(2^63), the smallest int64', -(2 ** 63), { intValue: '-9223372036854775808' }],
      ['2^63, one past int64', 2 ** 63, { doubleValue: 2 ** 63 }],
      ['1e22', 1e22, { doubleValue: 1e22 }],
      ['Number.MAX_VALUE', Number.MAX_VALUE, { doubleValue: Number.MAX_VALUE }],
      ['-Number.MAX_VALUE', -Number.MAX_VALUE, { doubleValue: -Number.MAX_VALUE }],
      ['a fraction', 1.5, { doubleValue: 1.5 }],
      ['NaN', NaN, { doubleValue: 'NaN' }],
      ['Infinity', Infinity, { doubleValue: 'Infinity' }],
      ['-Infinity', -Infinity, { doubleValue: '-Infinity' }],
    ])('sends %s as %j', (_name, value, expected) => {
      expect(sentJsonValue(value)).toEqual(expected);
    });

    it('makes numbers exact in the body, in lists and in maps, at any depth', () => {
      const [sent] = typedRecordsOfJson(
        json.serializeRequest(
          emitRecords([
            {
              body: { n: 2 ** 63, list: [2 ** 53 + 2, { deep: [1e22] }] },
              attributes: { a: [[2 ** 63 - 1024]], m: { x: { y: -(2 ** 63) } } },
            },
          ]),
        )!,
      );
      expect(sent).toEqual({
        body: { n: 2 ** 63, list: [9007199254740994n, { deep: [1e22] }] },
        attributes: { a: [[9223372036854774784n]], m: { x: { y: -9223372036854775808n } } },
        dropped: 0,
      });
    });
  });

  it('sends, for any batch of records, the values the protobuf serializer sends', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 10 }), (records) => {
        const viaJson = typedRecordsOfJson(json.serializeRequest(records)!);
        const viaProtobuf = typedRecordsOfProtobuf(protobuf.serializeRequest(records)!);
        expect(viaJson.map(wellFormedRecord)).toEqual(viaProtobuf.map(wellFormedRecord));
      }),
      { numRuns: 300 },
    );
  });

  it('sends what JsonLogsSerializer sends, byte for byte, when every number is safe', () => {
    const records = [
      ...emitRecords(Array.from({ length: 20 }, (_, i) => typicalEmit(i))),
      handMadeRecord({ attributes: { n: -(2 ** 53) + 1, f: 0.1, list: [1, 'x', null] } }),
    ];
    expect(text(json.serializeRequest(records)!)).toBe(
      text(JsonLogsSerializer.serializeRequest(records)!),
    );
  });

  it('reads answers as JsonLogsSerializer does', () => {
    const answer = new TextEncoder().encode('{"partialSuccess":{"rejectedLogRecords":"2"}}');
    expect(json.deserializeResponse(answer)).toEqual(
      JsonLogsSerializer.deserializeResponse(answer),
    );
  });
});
