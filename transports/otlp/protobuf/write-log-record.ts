import { SeverityNumber } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ProtoWriter } from './proto-writer.js';
import { writeString } from './write-string.js';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, tagOf } from './wire-format.js';
import { writeAnyValue, writeKeyValues } from './write-any-value.js';
import { writeHexId } from './write-hex-id.js';
import { writeHrTime } from './write-hr-time.js';

// logs.proto, message LogRecord (field 4 is reserved).
const TIME_UNIX_NANO = tagOf(1, WIRE_FIXED64);
const SEVERITY_NUMBER = tagOf(2, WIRE_VARINT);
const SEVERITY_TEXT = tagOf(3, WIRE_LEN);
const BODY = tagOf(5, WIRE_LEN);
const ATTRIBUTES = tagOf(6, WIRE_LEN);
const DROPPED_ATTRIBUTES_COUNT = tagOf(7, WIRE_VARINT);
const FLAGS = tagOf(8, WIRE_FIXED32);
const TRACE_ID = tagOf(9, WIRE_LEN);
const SPAN_ID = tagOf(10, WIRE_LEN);
const OBSERVED_TIME_UNIX_NANO = tagOf(11, WIRE_FIXED64);
const EVENT_NAME = tagOf(12, WIRE_LEN);

/**
 * Writes the body of a `LogRecord` message, field by field in number order, with
 * otlp-transformer's choices (`serializeLogRecord`) so the bytes match: both timestamps
 * always; severity number unless unset or `UNSPECIFIED` (0); severity text, trace id, span
 * id and event name unless empty; the body unless `undefined` (`null` gives an empty
 * `AnyValue`); `dropped_attributes_count` always, even 0; `flags` — the W3C trace flags, which
 * logs.proto puts in the low byte — unless 0.
 *
 * @example
 * ```ts
 * writeLogRecord(writer, record); // record: a ReadableLogRecord from sdk-logs
 * ```
 */
export function writeLogRecord(writer: ProtoWriter, record: ReadableLogRecord): void {
  writer.byte(TIME_UNIX_NANO);
  writeHrTime(writer, record.hrTime);
  const severityNumber = record.severityNumber;
  if (severityNumber !== undefined && severityNumber !== SeverityNumber.UNSPECIFIED) {
    writer.byte(SEVERITY_NUMBER);
    writer.varint(severityNumber);
  }
  if (record.severityText) {
    writer.byte(SEVERITY_TEXT);
    writeString(writer, record.severityText);
  }
  if (record.body !== undefined) {
    writer.byte(BODY);
    const at = writer.startLength(1);
    writeAnyValue(writer, record.body);
    writer.finishLength(at, 1);
  }
  if (record.attributes) writeKeyValues(writer, record.attributes, ATTRIBUTES);
  writer.byte(DROPPED_ATTRIBUTES_COUNT);
  writer.varint(record.droppedAttributesCount);
  const spanContext = record.spanContext;
  if (spanContext) {
    if (spanContext.traceFlags) {
      writer.byte(FLAGS);
      writer.fixed32(spanContext.traceFlags);
    }
    if (spanContext.traceId) {
      writer.byte(TRACE_ID);
      writeHexId(writer, spanContext.traceId);
    }
    if (spanContext.spanId) {
      writer.byte(SPAN_ID);
      writeHexId(writer, spanContext.spanId);
    }
  }
  writer.byte(OBSERVED_TIME_UNIX_NANO);
  writeHrTime(writer, record.hrTimeObserved);
  if (record.eventName) {
    writer.byte(EVENT_NAME);
    writeString(writer, record.eventName);
  }
}
