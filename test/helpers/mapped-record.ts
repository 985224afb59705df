import type { SpanContext } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { MappedLogRecord } from '../../transports/mapping/mapped-log-record.js';

/** The span context of {@link mappedRecord}. */
export const MAPPED_SPAN: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
};

/**
 * A mapped record as the transports hand it on — every field set, attributes of each kind, a
 * span context — with `overrides` applied.
 */
export function mappedRecord(overrides: Partial<MappedLogRecord> = {}): MappedLogRecord {
  return {
    timestamp: 1_800_000_000_000.5,
    observedTimestamp: 1_800_000_000_001,
    severityNumber: SeverityNumber.WARN,
    severityText: 'warn',
    body: 'disk almost full',
    attributes: { user: 'ada', n: 42, ratio: 0.5, ok: true, tags: ['a', 'b'], nested: { a: 1 } },
    spanContext: MAPPED_SPAN,
    resource: {},
    ...overrides,
  };
}
