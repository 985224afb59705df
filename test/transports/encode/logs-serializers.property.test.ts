import fc from 'fast-check';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { createProtobufLogsSerializer } from '../../../transports/encode/logs-serializers.js';
import { decodeLogsRequest } from './otlp-logs-schema.js';
import { record } from './record-arbitraries.js';

describe('createProtobufLogsSerializer', () => {
  const ours = createProtobufLogsSerializer();

  it('writes, for any batch of records, the bytes ProtobufLogsSerializer writes', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (records) => {
        const expected = ProtobufLogsSerializer.serializeRequest(records)!;
        const actual = ours.serializeRequest(records)!;
        expect(Buffer.from(actual).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
        expect(decodeLogsRequest(actual)).toEqual(decodeLogsRequest(expected));
      }),
      { numRuns: 500 },
    );
  });
});
