import { decodeLogsRequest } from './otlp-logs-schema.js';

/**
 * An OTLP AnyValue as plain data that keeps its kind, so that the values two encodings carry
 * can be compared exactly: `int_value` as a BigInt (int64, exact), `double_value` as a number,
 * bytes as `{ bytes: base64 }`, a key-value list as an object (own `__proto__` keys kept), an
 * empty AnyValue as `null`.
 */
export type TypedValue =
  | string
  | boolean
  | bigint
  | number
  | null
  | { bytes: string }
  | TypedValue[]
  | { [key: string]: TypedValue };

/** The body, attributes and dropped count of one log record, values typed. */
export interface TypedRecord {
  body: TypedValue;
  attributes: Record<string, TypedValue>;
  dropped: number;
}

interface ProtoAnyValue {
  value?: string;
  string_value?: string;
  bool_value?: boolean;
  int_value?: string;
  double_value?: number;
  bytes_value?: string;
  array_value?: { values?: ProtoAnyValue[] };
  kvlist_value?: { values?: { key: string; value?: ProtoAnyValue }[] };
}

function fromProto(value: ProtoAnyValue | undefined): TypedValue {
  switch (value?.value) {
    case 'string_value':
      return value.string_value ?? '';
    case 'bool_value':
      return value.bool_value ?? false;
    case 'int_value':
      return BigInt(value.int_value ?? '0');
    case 'double_value':
      return value.double_value ?? 0;
    case 'bytes_value':
      return { bytes: value.bytes_value ?? '' };
    case 'array_value':
      return (value.array_value?.values ?? []).map(fromProto);
    case 'kvlist_value':
      return Object.fromEntries(
        (value.kvlist_value?.values ?? []).map(({ key, value: v }) => [key, fromProto(v)]),
      );
    default:
      return null;
  }
}

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: { key: string; value?: JsonAnyValue }[] };
}

/** An OTLP/JSON AnyValue (as sent, or as the collector's file exporter writes it), typed. */
export function typedValueOfJson(value: JsonAnyValue | undefined): TypedValue {
  if (value === undefined) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  // proto3 JSON: an int64 is a decimal string or a number; a double a number or "NaN" etc.
  if (value.intValue !== undefined) return BigInt(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.bytesValue !== undefined) return { bytes: value.bytesValue };
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(typedValueOfJson);
  if (value.kvlistValue !== undefined) {
    return Object.fromEntries(
      (value.kvlistValue.values ?? []).map(({ key, value: v }) => [key, typedValueOfJson(v)]),
    );
  }
  return null;
}

interface ProtoRecord {
  body?: ProtoAnyValue;
  attributes?: { key: string; value?: ProtoAnyValue }[];
  dropped_attributes_count?: number;
}

interface ProtoRequest {
  resource_logs?: { scope_logs?: { log_records?: ProtoRecord[] }[] }[];
}

/** The records of an OTLP/protobuf logs request, values typed. */
export function typedRecordsOfProtobuf(bytes: Uint8Array): TypedRecord[] {
  const decoded: unknown = decodeLogsRequest(bytes);
  const request = decoded as ProtoRequest;
  return (request.resource_logs ?? []).flatMap((r) =>
    (r.scope_logs ?? []).flatMap((s) =>
      (s.log_records ?? []).map((record) => ({
        body: fromProto(record.body),
        attributes: Object.fromEntries(
          (record.attributes ?? []).map(({ key, value }) => [key, fromProto(value)]),
        ),
        dropped: record.dropped_attributes_count ?? 0,
      })),
    ),
  );
}

interface JsonRecord {
  body?: JsonAnyValue;
  attributes?: { key: string; value?: JsonAnyValue }[];
  droppedAttributesCount?: number;
}

/** The records of an OTLP/JSON logs request (the bytes sent), values typed. */
export function typedRecordsOfJson(bytes: Uint8Array): TypedRecord[] {
  const request = JSON.parse(Buffer.from(bytes).toString('utf8')) as {
    resourceLogs?: { scopeLogs?: { logRecords?: JsonRecord[] }[] }[];
  };
  return (request.resourceLogs ?? []).flatMap((r) =>
    (r.scopeLogs ?? []).flatMap((s) =>
      (s.logRecords ?? []).map((record) => ({
        body: typedValueOfJson(record.body),
        attributes: Object.fromEntries(
          (record.attributes ?? []).map(({ key, value }) => [key, typedValueOfJson(value)]),
        ),
        dropped: record.droppedAttributesCount ?? 0,
      })),
    ),
  );
}
