import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { writeLogRecord, writeResource, writeScope } from './write-log-record.js';
import type { LogScope } from './write-log-record.js';
import { writeString, WIRE_LEN, tagOf } from './proto-writer.js';
import type { ProtoWriter } from './proto-writer.js';

/**
 * A log record that arrives already encoded: the bytes of its OTLP `LogRecord` message
 * (written by `writeLogRecord` on the thread that logged it), with the resource and scope it
 * is sent under. The serializer copies the bytes into the request as they are.
 */
export interface EncodedLogRecord {
  readonly resource: Resource;
  readonly instrumentationScope: LogScope;
  readonly encoded: Uint8Array;
}

/** What the OTLP protobuf serializer takes: sdk-logs records, or already encoded ones. */
export type OtlpLogItem = ReadableLogRecord | EncodedLogRecord;

/** Whether `item` came encoded. */
export function isEncodedLogRecord(item: OtlpLogItem): item is EncodedLogRecord {
  return (item as Partial<EncodedLogRecord>).encoded !== undefined;
}

// logs_service.proto: ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1 }.
// logs.proto: ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2;
// string schema_url = 3 } and ScopeLogs { InstrumentationScope scope = 1;
// repeated LogRecord log_records = 2; string schema_url = 3 }.
const RESOURCE_LOGS = tagOf(1, WIRE_LEN);
const RESOURCE = tagOf(1, WIRE_LEN);
const SCOPE_LOGS = tagOf(2, WIRE_LEN);
const SCOPE = tagOf(1, WIRE_LEN);
const LOG_RECORDS = tagOf(2, WIRE_LEN);
const SCHEMA_URL = tagOf(3, WIRE_LEN);

// A ResourceLogs or ScopeLogs holds a whole batch (512 records ≈ 90 kB): a 3-byte length
// (16 kB – 2 MB). A wrong guess costs one move of the message, once per batch.
const GROUP_LENGTH_GUESS = 3;

/**
 * Writes an `ExportLogsServiceRequest` for `records` (sdk-logs records, or records that came
 * encoded, copied in as they are) into `writer`: one `ResourceLogs` per
 * distinct `resource` object, in first-seen order, each with one `ScopeLogs` per distinct
 * `instrumentationScope` object, in first-seen order — otlp-transformer's grouping (by
 * identity, through `Map`s), so the messages come in the same order as theirs.
 *
 * @example
 * ```ts
 * const writer = new ProtoWriter();
 * encodeLogsRequest(writer, records);
 * const body = writer.copyOut();
 * ```
 */
export function encodeLogsRequest(writer: ProtoWriter, records: readonly OtlpLogItem[]): void {
  // Each record's length prefix is guessed from the one before (records of a batch are
  // alike), so the content after it rarely has to move.
  let recordGuess = 2;
  for (const [resource, scopes] of groupRecords(records)) {
    writer.byte(RESOURCE_LOGS);
    const resourceLogsAt = writer.startLength(GROUP_LENGTH_GUESS);
    writer.byte(RESOURCE);
    const resourceAt = writer.startLength(1);
    writeResource(writer, resource);
    writer.finishLength(resourceAt, 1);
    for (const [scope, scopeRecords] of scopes) {
      writer.byte(SCOPE_LOGS);
      const scopeLogsAt = writer.startLength(GROUP_LENGTH_GUESS);
      writer.byte(SCOPE);
      const scopeAt = writer.startLength(1);
      writeScope(writer, scope);
      writer.finishLength(scopeAt, 1);
      for (const record of scopeRecords) {
        writer.byte(LOG_RECORDS);
        if (isEncodedLogRecord(record)) {
          writer.bytes(record.encoded);
          continue;
        }
        const recordAt = writer.startLength(recordGuess);
        writeLogRecord(writer, record);
        recordGuess = writer.finishLength(recordAt, recordGuess);
      }
      writeSchemaUrl(writer, scope.schemaUrl);
      writer.finishLength(scopeLogsAt, GROUP_LENGTH_GUESS);
    }
    writeSchemaUrl(writer, resource.schemaUrl);
    writer.finishLength(resourceLogsAt, GROUP_LENGTH_GUESS);
  }
}

function writeSchemaUrl(writer: ProtoWriter, schemaUrl: string | undefined): void {
  if (!schemaUrl) return;
  writer.byte(SCHEMA_URL);
  writeString(writer, schemaUrl);
}

type Groups = Map<Resource, Map<LogScope, readonly OtlpLogItem[]>>;

function groupRecords(records: readonly OtlpLogItem[]): Groups {
  const groups: Groups = new Map();
  const first = records[0];
  if (first === undefined) return groups;
  // A transport has one logger, so a batch is almost always one group: skip the copying.
  if (
    records.every(
      (r) => r.resource === first.resource && r.instrumentationScope === first.instrumentationScope,
    )
  ) {
    return groups.set(
      first.resource,
      new Map<LogScope, readonly OtlpLogItem[]>([[first.instrumentationScope, records]]),
    );
  }
  for (const record of records) {
    let scopes = groups.get(record.resource);
    if (!scopes) {
      scopes = new Map<LogScope, readonly OtlpLogItem[]>();
      groups.set(record.resource, scopes);
    }
    const scoped = scopes.get(record.instrumentationScope) as OtlpLogItem[] | undefined;
    if (scoped) scoped.push(record);
    else scopes.set(record.instrumentationScope, [record]);
  }
  return groups;
}
