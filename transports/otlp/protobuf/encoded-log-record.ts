import type { Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { LogScope } from './write-scope.js';

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
