import type { MappedLogRecord } from '../../src/record/mapped-log-record.js';

// Bytes (Uint8Array, which OTLP carries as bytesValue) do not survive JSON: tag them.
const BYTES_TAG = '__tracelink_bytes__';

function encodeBytes(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array
    ? { [BYTES_TAG]: Buffer.from(value).toString('base64') }
    : value;
}

function decodeBytes(_key: string, value: unknown): unknown {
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Record<string, unknown>)[BYTES_TAG] === 'string'
  ) {
    return new Uint8Array(Buffer.from((value as Record<string, string>)[BYTES_TAG], 'base64'));
  }
  return value;
}

/**
 * A mapped record as one line for the worker thread. The record is mapped on the main
 * thread — winston's `info` holds live objects and the captured context — and only data
 * crosses to the worker.
 */
export function toRecordLine(record: MappedLogRecord): string {
  return JSON.stringify(record, encodeBytes);
}

/** The record of a line written by {@link toRecordLine}. */
export function fromRecordLine(line: string): MappedLogRecord {
  return JSON.parse(line, decodeBytes) as MappedLogRecord;
}
