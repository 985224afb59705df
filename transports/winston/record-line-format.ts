import type { ResolvedOtlpOptions } from '../otlp/resolve-otlp-options.js';

/**
 * How the winston transport's records cross to its worker: `protobuf` — encoded on the
 * logging thread ({@link ProtobufRecordLines}) — when they go to an OTLP/HTTP protobuf
 * endpoint, else `json` (mapped records, which the worker hands to sdk-logs and its exporter).
 */
export type RecordLineFormat = 'json' | 'protobuf';

/** The line format for the resolved options: `protobuf` only for OTLP/HTTP protobuf. */
export function recordLineFormatFor(options: ResolvedOtlpOptions): RecordLineFormat {
  return options.exporter === 'otlp' && options.protocol === 'http/protobuf' && !options.disabled
    ? 'protobuf'
    : 'json';
}
