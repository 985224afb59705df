import { isProtobufExport } from '../otlp/is-protobuf-export.js';
import type { ResolvedOtlpOptions } from '../otlp/resolve-otlp-options.js';

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
