import { diag } from '@opentelemetry/api';
import type { AnyValueMap } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { toHrTime } from '../mapping/mapped-log-record.js';
import type { MappedLogRecord } from '../mapping/mapped-log-record.js';
import { setEntry } from '../mapping/values.js';
import { ProtoWriter } from '../encode/proto-writer.js';
import { writeLogRecord } from '../encode/write-log-record.js';

// sdk-logs' LoggerProvider defaults (0.223: `logRecordLimits`, not read from the environment):
// 128 attributes a record, values not cut.
const ATTRIBUTE_COUNT_LIMIT = 128;

/**
 * Encodes mapped records as the bytes of their OTLP `LogRecord` message: the bytes the
 * protobuf serializer writes for the record sdk-logs makes of it (`Logger.emit` of
 * `toEmitInput(record)`, with a `LoggerProvider`'s default limits), without making that
 * record. For a mapped record — acyclic, its values already `AnyValue`s, its span context
 * valid — what sdk-logs does comes down to its attribute rules, applied here: a top-level
 * attribute with an empty key is dropped (uncounted, as sdk-logs drops it), and past 128
 * attributes the rest are dropped and counted in `dropped_attributes_count`. The tests
 * compare the bytes with the sdk-logs path's, record by record and on arbitrary records. The
 * sdk-logs record, its validation and its copy of every attribute made up about a third of
 * the winston worker's mapping and encoding per record, in a CPU profile of the worker
 * during a 100k burst (the `tl-winston` scenario of `npm run bench -- transports`).
 *
 * The winston transport's worker encodes each record as it maps it, for the protobuf
 * protocols (http/protobuf, grpc): the export queue then holds a record's bytes, and a batch
 * is written by copying them.
 *
 * @example
 * ```ts
 * const encoder = new ProtobufRecordEncoder();
 * pipeline.emit(encoder.encode(mapWinstonRecord(info, mapping)), line.length);
 * ```
 */
export class ProtobufRecordEncoder {
  private readonly writer = new ProtoWriter();

  /** The `LogRecord` bytes of one record: a copy, the encoder's buffer is reused. */
  encode(record: MappedLogRecord): Uint8Array {
    const { attributes, dropped } = limitAttributes(record.attributes);
    const { writer } = this;
    writer.reset();
    writeLogRecord(writer, {
      hrTime: toHrTime(record.timestamp),
      hrTimeObserved: toHrTime(record.observedTimestamp),
      severityNumber: record.severityNumber,
      severityText: record.severityText,
      body: record.body,
      attributes,
      droppedAttributesCount: dropped,
      spanContext: record.spanContext,
      eventName: undefined,
    } as unknown as ReadableLogRecord);
    // From Node's pool for the small records that are the rule: one slab shared by many
    // records rather than an ArrayBuffer each.
    const encoded = Buffer.allocUnsafe(writer.pos);
    writer.buf.copy(encoded, 0, 0, writer.pos);
    return encoded;
  }
}

/** sdk-logs' `addAttribute` rules, for the attributes of a mapped record. */
function limitAttributes(attributes: AnyValueMap): { attributes: AnyValueMap; dropped: number } {
  let count = 0;
  let fits = true;
  for (const key in attributes) {
    if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
    count++;
    if (key === '' || count > ATTRIBUTE_COUNT_LIMIT) {
      fits = false;
      break;
    }
  }
  if (fits) return { attributes, dropped: 0 };
  const kept: AnyValueMap = {};
  let keptCount = 0;
  let dropped = 0;
  for (const key of Object.keys(attributes)) {
    if (key === '') {
      diag.warn(`Invalid attribute key: ${key}`); // sdk-logs' words
      continue;
    }
    if (keptCount === ATTRIBUTE_COUNT_LIMIT) {
      if (++dropped === 1) diag.warn('Dropping extra attributes.'); // sdk-logs' words, once
      continue;
    }
    setEntry(kept, key, attributes[key]);
    keptCount++;
  }
  return { attributes: kept, dropped };
}

/**
 * Mapped records as base64 lines of their `LogRecord` bytes ({@link ProtobufRecordEncoder}).
 * For a process that encodes records and hands them to a worker as text (the benchmark's
 * zero-work pino target); read back with {@link fromProtobufRecordLine}.
 *
 * @example
 * ```ts
 * const lines = new ProtobufRecordLines();
 * stream.write(`${lines.lineOf(mapWinstonRecord(info, mapping))}\n`);
 * ```
 */
export class ProtobufRecordLines {
  private readonly encoder = new ProtobufRecordEncoder();

  /** The line of one record (without the newline). */
  lineOf(record: MappedLogRecord): string {
    const encoded = this.encoder.encode(record);
    return Buffer.from(encoded.buffer, encoded.byteOffset, encoded.length).toString('base64');
  }
}

/** The `LogRecord` bytes of a line written by {@link ProtobufRecordLines}. */
export function fromProtobufRecordLine(line: string): Uint8Array {
  return Buffer.from(line, 'base64');
}
