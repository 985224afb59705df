import { parse } from 'protobufjs';
import type { Type } from 'protobufjs';

// The messages an ExportLogsServiceRequest uses, copied from opentelemetry-proto (v1.11,
// commit ac2c4b5: common/v1/common.proto, resource/v1/resource.proto, logs/v1/logs.proto,
// collector/logs/v1/logs_service.proto), comments and unused messages left out. It is an
// independent decoder: otlp-transformer 0.223 no longer ships a generated protobufjs root
// (its serializer writes the wire format by hand), so both encoders are checked against the
// spec's own field numbers and types, read by protobufjs's reflection decoder.
const SCHEMA = `
syntax = "proto3";
package opentelemetry.proto;

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
    int32 string_value_strindex = 8;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue {
  string key = 1;
  AnyValue value = 2;
  int32 key_strindex = 3;
}
message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}
message EntityRef {
  string schema_url = 1;
  string type = 2;
  repeated string id_keys = 3;
  repeated string description_keys = 4;
}
message Resource {
  repeated KeyValue attributes = 1;
  uint32 dropped_attributes_count = 2;
  repeated EntityRef entity_refs = 3;
}
message ResourceLogs {
  Resource resource = 1;
  repeated ScopeLogs scope_logs = 2;
  string schema_url = 3;
}
message ScopeLogs {
  InstrumentationScope scope = 1;
  repeated LogRecord log_records = 2;
  string schema_url = 3;
}
message LogRecord {
  fixed64 time_unix_nano = 1;
  fixed64 observed_time_unix_nano = 11;
  int32 severity_number = 2;
  string severity_text = 3;
  AnyValue body = 5;
  repeated KeyValue attributes = 6;
  uint32 dropped_attributes_count = 7;
  fixed32 flags = 8;
  bytes trace_id = 9;
  bytes span_id = 10;
  string event_name = 12;
}
message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
`;
// severity_number is the SeverityNumber enum in logs.proto; an enum is an int32 varint on the
// wire, and reading it as one keeps out-of-range numbers visible instead of mapped to names.

const REQUEST: Type = parse(SCHEMA, { keepCase: true }).root.lookupType(
  'opentelemetry.proto.ExportLogsServiceRequest',
);

/**
 * Decodes an OTLP logs request into a plain object: 64-bit integers as decimal strings,
 * bytes as base64, fields at their default value left out, the chosen `oneof` named in `value`.
 *
 * @example
 * ```ts
 * decodeLogsRequest(serializer.serializeRequest(records)!).resource_logs[0].scope_logs;
 * ```
 */
export function decodeLogsRequest(bytes: Uint8Array): DecodedRequest {
  const message = REQUEST.decode(bytes);
  return REQUEST.toObject(message, {
    longs: String,
    bytes: String,
    oneofs: true,
    defaults: false,
  });
}

/** A decoded request, its shape left open: tests compare them whole or pick fields. */
export interface DecodedRequest {
  resource_logs?: Record<string, unknown>[];
}

/** Base64 (how protobufjs renders bytes) to hex. */
export const hexOf = (base64: string): string => Buffer.from(base64, 'base64').toString('hex');
