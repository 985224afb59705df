import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ProtoWriter } from './proto-writer.js';
import { writeString } from './write-string.js';
import { WIRE_LEN, WIRE_VARINT, tagOf } from './wire-format.js';
import { writeKeyValues } from './write-any-value.js';

// common.proto: InstrumentationScope { string name = 1; string version = 2;
// repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4 }.
const NAME = tagOf(1, WIRE_LEN);
const VERSION = tagOf(2, WIRE_LEN);
const ATTRIBUTES = tagOf(3, WIRE_LEN);
const DROPPED_ATTRIBUTES_COUNT = tagOf(4, WIRE_VARINT);

/** The instrumentation scope of a log record, as sdk-logs hands it over. */
export type LogScope = ReadableLogRecord['instrumentationScope'];

/**
 * Writes the body of an `InstrumentationScope` message as otlp-transformer does
 * (`writeInstrumentationScope`): the name always, even empty; version, attributes and the
 * dropped count only when set.
 *
 * @example
 * ```ts
 * writeScope(writer, { name: 'tracelink', version: '0.1.0' });
 * ```
 */
export function writeScope(writer: ProtoWriter, scope: LogScope): void {
  writer.byte(NAME);
  writeString(writer, scope.name);
  if (scope.version) {
    writer.byte(VERSION);
    writeString(writer, scope.version);
  }
  if (scope.attributes) writeKeyValues(writer, scope.attributes, ATTRIBUTES);
  if (scope.droppedAttributesCount) {
    writer.byte(DROPPED_ATTRIBUTES_COUNT);
    writer.varint(scope.droppedAttributesCount);
  }
}
