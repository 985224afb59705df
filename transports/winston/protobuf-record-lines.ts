import type { Logger } from '@opentelemetry/api-logs';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { MappedLogRecord } from '../../src/record/mapped-log-record.js';
import { ProtoWriter } from '../otlp/protobuf/proto-writer.js';
import { writeLogRecord } from '../otlp/protobuf/write-log-record.js';
import { SCOPE_NAME } from '../otlp/scope-name.js';
import { toEmitInput } from '../otlp/to-emit-input.js';

/**
 * Mapped records as lines for the worker, already encoded: each line is the base64 of the
 * record's OTLP `LogRecord` message, as sdk-logs makes the record — a logger of this thread's
 * own `LoggerProvider`, with the attribute limits of the environment — and as the protobuf
 * serializer writes it. The worker copies the bytes into its requests as they are. Against
 * JSON lines, which the worker must parse and hand to sdk-logs and encode, this costs the
 * logging thread about the same and spares the worker most of its work per record
 * (bench/RESULTS.md, "winston transport: records encoded on the logging thread"). Only for
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
