import type { Logger } from '@opentelemetry/api-logs';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { toEmitInput } from '../mapping/mapped-log-record.js';
import type { MappedLogRecord } from '../mapping/mapped-log-record.js';
import { isProtobufExport } from '../options/resolve-otlp-options.js';
import type { ResolvedOtlpOptions } from '../options/resolve-otlp-options.js';
import { ProtoWriter } from '../encode/proto-writer.js';
import { writeLogRecord, SCOPE_NAME } from '../encode/write-log-record.js';

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

/**
 * How the winston transport's records cross to its worker: `protobuf` — encoded on the
 * logging thread ({@link ProtobufRecordLines}) — when they go to an OTLP endpoint over a
 * protobuf protocol (`http/protobuf`, `grpc`), else `json` (mapped records, which the worker
 * hands to sdk-logs and its exporter: `http/json`, the console exporter).
 */
export type RecordLineFormat = 'json' | 'protobuf';

/** The line format for the resolved options: `protobuf` for OTLP over http/protobuf or grpc. */
export function recordLineFormatFor(options: ResolvedOtlpOptions): RecordLineFormat {
  return isProtobufExport(options) && !options.disabled ? 'protobuf' : 'json';
}

/**
 * Mapped records as lines for the worker, already encoded: each line is the base64 of the
 * record's OTLP `LogRecord` message, as sdk-logs makes the record — a logger of this thread's
 * own `LoggerProvider`, with the attribute limits of the environment — and as the protobuf
 * serializer writes it. The worker copies the bytes into its requests as they are. Against
 * JSON lines, which the worker must parse and hand to sdk-logs and encode, this costs the
 * logging thread about the same and spares the worker most of its work per record
 * (`npm run bench -- transports`, the tl-winston rows). Only for
 * the protobuf protocols (http/protobuf, grpc): http/json and the console exporter need the
 * records themselves.
 *
 * @example
 * ```ts
 * const lines = new ProtobufRecordLines();
 * stream.write(`${lines.lineOf(mapWinstonRecord(info, mapping))}\n`);
 * ```
 */
export class ProtobufRecordLines {
  private readonly writer = new ProtoWriter();
  private readonly logger: Logger;
  private line: string | undefined;

  constructor() {
    const encoder = {
      onEmit: (record: ReadableLogRecord) => {
        this.writer.reset();
        writeLogRecord(this.writer, record);
        this.line = this.writer.buf.toString('base64', 0, this.writer.pos);
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
    };
    this.logger = new LoggerProvider({ processors: [encoder] }).getLogger(SCOPE_NAME);
  }

  /** The line of one record (without the newline). Throws only if sdk-logs kept the record. */
  lineOf(record: MappedLogRecord): string {
    this.line = undefined;
    this.logger.emit(toEmitInput(record));
    const line = this.line;
    if (line === undefined) throw new Error('sdk-logs did not hand the record to the encoder');
    return line;
  }
}

/** The `LogRecord` bytes of a line written by {@link ProtobufRecordLines}. */
export function fromProtobufRecordLine(line: string): Uint8Array {
  return Buffer.from(line, 'base64');
}
