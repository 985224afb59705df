import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
// otlp-transformer's own request builder and JSON encoder, from their files (not in the
// package index): see logs-serializers.ts for why these paths, and the import test.
import { createExportLogsServiceRequest } from '@opentelemetry/otlp-transformer/build/src/logs/internal.js';
import { JSON_ENCODER } from '@opentelemetry/otlp-transformer/build/src/common/utils.js';

// The JSON shapes this file rewrites (common.proto, in the proto3 JSON mapping).
interface JsonAnyValue {
  intValue?: number | string | null;
  doubleValue?: number | string | null;
  arrayValue?: { values: JsonAnyValue[] };
  kvlistValue?: { values: JsonKeyValue[] };
}
interface JsonKeyValue {
  value: JsonAnyValue;
}
interface JsonRequest {
  resourceLogs?: {
    resource?: { attributes: JsonKeyValue[] };
    scopeLogs: {
      scope?: { attributes?: JsonKeyValue[] };
      logRecords?: { body?: JsonAnyValue; attributes?: JsonKeyValue[] }[];
    }[];
  }[];
}

// int64, as the protobuf writer bounds it (write-log-record.ts): [-(2^63), 2^63).
const MIN_INT64 = -(2 ** 63);
const MAX_INT64_EXCLUSIVE = 2 ** 63;

/**
 * The OTLP/JSON `ExportLogsServiceRequest` for `records`, as a JSON text: otlp-transformer's
 * request (`createExportLogsServiceRequest` with its `JSON_ENCODER`, what its
 * `JsonLogsSerializer` sends), with the numbers JSON cannot carry as it writes them made
 * exact, so that a collector reads the values the protobuf encoding gives it:
 *
 * | number (as its `AnyValue`) | otlp-transformer writes | written here |
 * |---|---|---|
 * | integer within ±(2^53 − 1) | `"intValue": 42` | the same |
 * | integer beyond, within int64 | `"intValue": 9223372036854775000` — `JSON.stringify`'s shortest digits, not the value | `"intValue": "9223372036854774784"`, its exact decimal string (proto3 JSON's own form for int64) |
 * | integer outside int64 (`2 ** 63`, `1e22`, `Number.MAX_VALUE`) | `"intValue": 1e+22` — the collector answers 400 for the whole request | `"doubleValue": 1e+22` |
 * | `NaN`, `±Infinity` as a double | `null`, which reads as no value | `"NaN"`, `"Infinity"`, `"-Infinity"` (proto3 JSON's strings for them) |
 *
 * Everything else is otlp-transformer's, byte for byte.
 *
 * @example
 * ```ts
 * jsonLogsRequest(records); // '{"resourceLogs":[…"intValue":"9007199254740993"…]}'
 * ```
 */
export function jsonLogsRequest(records: ReadableLogRecord[]): string {
  const request = createExportLogsServiceRequest(records, JSON_ENCODER) as JsonRequest;
  for (const resourceLogs of request.resourceLogs ?? []) {
    exactKeyValues(resourceLogs.resource?.attributes);
    for (const scopeLogs of resourceLogs.scopeLogs) {
      exactKeyValues(scopeLogs.scope?.attributes);
      for (const record of scopeLogs.logRecords ?? []) {
        if (record.body !== undefined) record.body = exactAnyValue(record.body);
        exactKeyValues(record.attributes);
      }
    }
  }
  return JSON.stringify(request);
}

function exactKeyValues(keyValues: JsonKeyValue[] | undefined): void {
  if (keyValues === undefined) return;
  for (const keyValue of keyValues) keyValue.value = exactAnyValue(keyValue.value);
}

// `value` itself, its lists and maps changed in place, or a replacement for a number.
function exactAnyValue(value: JsonAnyValue): JsonAnyValue {
  const int = value.intValue;
  if (typeof int === 'number') {
    if (Number.isSafeInteger(int)) return value;
    // An integer-valued double beyond 2^53: every one is an integer exactly, so BigInt takes
    // its exact value.
    return int >= MIN_INT64 && int < MAX_INT64_EXCLUSIVE
      ? { intValue: BigInt(int).toString() }
      : { doubleValue: int };
  }
  const double = value.doubleValue;
  if (typeof double === 'number') {
    return Number.isFinite(double) ? value : { doubleValue: String(double) };
  }
  if (value.arrayValue !== undefined) {
    const values = value.arrayValue.values;
    for (let i = 0; i < values.length; i++) values[i] = exactAnyValue(values[i]);
  } else if (value.kvlistValue !== undefined) {
    exactKeyValues(value.kvlistValue.values);
  }
  return value;
}
