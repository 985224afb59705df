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

/** Whether a mapped value holds bytes anywhere (the mapper's output is acyclic and bounded). */
function containsBytes(value: unknown): boolean {
  if (value instanceof Uint8Array) return true;
  if (value === null || typeof value !== 'object') return false;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    if (containsBytes(item)) return true;
  }
  return false;
}

/**
 * A mapped record as one line for the worker thread. The record is mapped on the main
 * thread — winston's `info` holds live objects and the captured context — and only data
 * crosses to the worker. A replacer function makes JSON.stringify several times slower (the
 * transport benchmark profiled this round trip at 7 µs a record), so it is used only for
 * the rare record that holds bytes.
 */
export function toRecordLine(record: MappedLogRecord): string {
  const withBytes = containsBytes(record.body) || containsBytes(record.attributes);
  return withBytes ? JSON.stringify(record, encodeBytes) : JSON.stringify(record);
}

/** The record of a line written by {@link toRecordLine}; a reviver only when bytes were tagged. */
export function fromRecordLine(line: string): MappedLogRecord {
  return (
    line.includes(BYTES_TAG) ? JSON.parse(line, decodeBytes) : JSON.parse(line)
  ) as MappedLogRecord;
}
