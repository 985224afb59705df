import { trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { timeInputToHrTime } from '@opentelemetry/core';
import { toEmitInput } from '../../../transports/mapping/mapped-log-record';
import type { MappedLogRecord } from '../../../transports/mapping/mapped-log-record';
import { mappedRecord } from '../../helpers/mapped-record';
import { EXAMPLE_SPAN_CONTEXT } from '../../helpers/tracing';

function record(overrides: Partial<MappedLogRecord> = {}): MappedLogRecord {
  return mappedRecord({
    timestamp: 1_700_000_000_123.5,
    observedTimestamp: 1_700_000_001_000,
    spanContext: undefined,
    ...overrides,
  });
}

describe('toEmitInput', () => {
  it('converts epoch milliseconds as sdk-logs does for real log times', () => {
    const input = toEmitInput(record());
    expect(input.timestamp).toEqual(timeInputToHrTime(1_700_000_000_123.5));
    expect(input.observedTimestamp).toEqual(timeInputToHrTime(1_700_000_001_000));
    expect(input.timestamp).toEqual([1_700_000_000, 123_500_000]);
  });

  it('keeps an early time as the record says, not as a performance.now() reading', () => {
    // sdk-logs would read 1,000 ms as 1 s after the process started.
    expect(toEmitInput(record({ timestamp: 1_000 })).timestamp).toEqual([1, 0]);
  });

  it('sends a time before 1970 as 0 (OTLP: unknown)', () => {
    expect(toEmitInput(record({ timestamp: -0.5 })).timestamp).toEqual([0, 0]);
  });

  it('carries the record’s span context, and none without one', () => {
    const withSpan = toEmitInput(record({ spanContext: EXAMPLE_SPAN_CONTEXT }));
    expect(trace.getSpanContext(withSpan.context as Context)).toEqual(EXAMPLE_SPAN_CONTEXT);
    const without = toEmitInput(record());
    expect(trace.getSpanContext(without.context as Context)).toBeUndefined();
  });

  it('passes body, severity and attributes through', () => {
    const { severityNumber, severityText, body, attributes } = record();
    expect(toEmitInput(record())).toMatchObject({ severityNumber, severityText, body, attributes });
  });
});
