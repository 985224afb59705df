import type { ISerializer, IExportLogsServiceResponse } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { encodeLogsRequest } from './encode-logs-request.js';
import type { OtlpLogItem } from './encode-logs-request.js';
import { jsonLogsRequest } from './json-logs-request.js';
import { ProtoWriter } from './proto-writer.js';

// The logs half of @opentelemetry/otlp-transformer, imported from its own files. The package's
// index also loads its metrics serializers, and with them all of @opentelemetry/sdk-metrics,
// which nothing here uses: in every transport worker that is 100 more modules and several MiB
// of heap and code (see the import test). The package has no `exports` map, so these paths are
// public to Node; the version is pinned in package.json, and a test fails if they move.
export { LogsExporterMetricsHelper } from '@opentelemetry/otlp-transformer/build/src/logs/index.js';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer/build/src/logs/protobuf/index.js';
export { ProtobufLogsSerializer };
import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer/build/src/logs/json/index.js';
export { JsonLogsSerializer };

/** Told how many records a collector's answer says it rejected, and its message if any. */
export type RejectionListener = (rejected: number, message: string | undefined) => void;

/** A listener for exporters nobody counts for (tests, the reference exporter). */
export const ignoreRejections: RejectionListener = () => undefined;

interface PartialSuccessAnswer {
  readonly partialSuccess?: {
    readonly rejectedLogRecords?: unknown;
    readonly errorMessage?: unknown;
  };
}

/**
 * `serializer`, telling `onRejected` what each answer's `partial_success` says: a collector (or
 * a backend's OTLP endpoint) that accepts a request may still reject some of its records, and
 * says how many there. The official export delegate only logs that through `diag` and reports
 * the export a success; with this, the transport counts those records as rejected, so none is
 * lost without a count. Requests are serialized by `serializer` unchanged.
 *
 * @example
 * ```ts
 * const serializer = reportingRejections(JsonLogsSerializer, (n) => stats.drop('rejected', n));
 * ```
 */
export function reportingRejections<Request, Answer>(
  serializer: ISerializer<Request, Answer>,
  onRejected: RejectionListener,
): ISerializer<Request, Answer> {
  return {
    serializeRequest: (request) => serializer.serializeRequest(request),
    deserializeResponse(data) {
      const answer = serializer.deserializeResponse(data);
      const partial = (answer as PartialSuccessAnswer | undefined)?.partialSuccess;
      // int64 on the wire: a number from protobuf, a decimal string from OTLP/JSON.
      const rejected = Number(partial?.rejectedLogRecords ?? 0);
      if (Number.isSafeInteger(rejected) && rejected > 0) {
        const message = partial?.errorMessage;
        onRejected(rejected, typeof message === 'string' && message !== '' ? message : undefined);
      }
      return answer;
    },
  };
}

/**
 * Creates a drop-in for otlp-transformer's `ProtobufLogsSerializer`: `serializeRequest`
 * gives the same bytes (the equivalence tests compare them), faster — one pass into a buffer
 * reused across requests instead of a size-estimating pass plus a writing pass over a fresh
 * buffer, no `Uint8Array` per trace and span id, and native UTF-8 writes for long strings.
 * It also takes records that came encoded ({@link OtlpLogItem}), copying their bytes in.
 * `deserializeResponse` is the official one. Each serializer owns its buffer: keep one per
 * exporter. Like the official one, it throws only on a value it cannot walk (a circular
 * body overflows the stack): the export delegate lets that out of `export()`, where
 * `ExportQueue.send` turns it into a failed export.
 *
 * @example
 * ```ts
 * const serializer = createProtobufLogsSerializer();
 * const body = serializer.serializeRequest(records); // application/x-protobuf
 * ```
 */
export function createProtobufLogsSerializer(): ISerializer<
  OtlpLogItem[],
  IExportLogsServiceResponse
> {
  const writer = new ProtoWriter();
  return {
    serializeRequest(records: OtlpLogItem[]): Uint8Array {
      writer.reset();
      encodeLogsRequest(writer, records);
      return writer.copyOut();
    },
    deserializeResponse: (data: Uint8Array) => ProtobufLogsSerializer.deserializeResponse(data),
  };
}

/**
 * Creates the OTLP/JSON serializer of the JSON exporter: otlp-transformer's
 * `JsonLogsSerializer` with every number sent as exactly what the protobuf serializer sends
 * (see `jsonLogsRequest`): an integer beyond 2^53 as its exact int64 decimal string, an
 * integer-valued number outside int64 (`2 ** 63`, `1e22`) as a double — which the official one
 * writes as an `intValue` the collector rejects, with the whole request. Requests without such
 * numbers are the official one's, byte for byte; `deserializeResponse` is the official one.
 *
 * @example
 * ```ts
 * const serializer = createJsonLogsSerializer();
 * const body = serializer.serializeRequest(records); // application/json
 * ```
 */
export function createJsonLogsSerializer(): ISerializer<
  ReadableLogRecord[],
  IExportLogsServiceResponse
> {
  const encoder = new TextEncoder();
  return {
    serializeRequest: (records: ReadableLogRecord[]) => encoder.encode(jsonLogsRequest(records)),
    deserializeResponse: (data: Uint8Array) => JsonLogsSerializer.deserializeResponse(data),
  };
}
