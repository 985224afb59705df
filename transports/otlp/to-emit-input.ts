import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import type { LogRecord } from '@opentelemetry/api-logs';
import { millisToHrTime } from '@opentelemetry/core';
import { LinkedContext } from '../../src/context/linked-context.js';
import type { MappedLogRecord } from '../../src/record/mapped-log-record.js';

// The base of each record's context: a record's context is then one link, not a copy.
const ROOT = new LinkedContext(ROOT_CONTEXT);

/**
 * What is handed to the sdk-logs `Logger.emit` for a mapped record. The timestamps go
 * as `HrTime`, converted as sdk-logs converts epoch milliseconds (`millisToHrTime`): without
 * the time-origin lookup it makes per timestamp, and without its rule that a number below half
 * the process's time origin is a `performance.now()` reading (which would move a record stamped
 * before ~1998 to the worker's start). A time before 1970 has no `time_unix_nano` (an unsigned
 * count): it goes as 0, which OTLP reads as "unknown", beside the observed time. The context is
 * the record's own trace context, never whatever is active in the worker.
 *
 * @example
 * ```ts
 * logger.emit(toEmitInput(mapPinoRecord(line, mapping)));
 * ```
 */
export function toEmitInput(record: MappedLogRecord): LogRecord {
  return {
    timestamp: toHrTime(record.timestamp),
    observedTimestamp: toHrTime(record.observedTimestamp),
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    body: record.body,
    attributes: record.attributes,
    context:
      record.spanContext === undefined ? ROOT : trace.setSpanContext(ROOT, record.spanContext),
  };
}

function toHrTime(epochMillis: number): HrTime {
  return epochMillis >= 0 ? millisToHrTime(epochMillis) : [0, 0];
}
