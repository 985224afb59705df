import { writeSync } from 'node:fs';
import { inspect } from 'node:util';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import type {
  OTLPExporterNodeConfigBase,
  CompressionAlgorithm,
} from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  convertLegacyOtlpGrpcOptions,
  createOtlpGrpcExportDelegate,
  createEmptyMetadata,
} from '@opentelemetry/otlp-grpc-exporter-base';
import type { OTLPGRPCExporterConfigNode } from '@opentelemetry/otlp-grpc-exporter-base';
import { ExportResultCode, hrTimeToMicroseconds } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import {
  createJsonLogsSerializer,
  LogsExporterMetricsHelper,
  reportingRejections,
  createProtobufLogsSerializer,
  ignoreRejections,
} from '../encode/logs-serializers.js';
import type { RejectionListener } from '../encode/logs-serializers.js';
import type { OtlpLogItem } from '../encode/encode-logs-request.js';
import { isProtobufExport } from '../options/resolve-otlp-options.js';
import type { ResolvedOtlpOptions } from '../options/resolve-otlp-options.js';

/**
 * The OTLP/HTTP JSON log exporter, built as `@opentelemetry/exporter-logs-otlp-http` 0.223
 * builds its `OTLPLogExporter` — the same delegate, config, variables, headers and retries —
 * with the answers' partial success reported to `onRejected`, and its serializer with exact
 * numbers (`createJsonLogsSerializer`): the official one writes an integer-valued number
 * outside int64 (`1e22`) as an `intValue`, and the collector then rejects the whole request.
 *
 * @example
 * ```ts
 * const exporter = createJsonLogExporter({ url: 'http://collector:4318/v1/logs' }, countRejected);
 * ```
 */
export function createJsonLogExporter(
  config: OTLPExporterNodeConfigBase,
  onRejected: RejectionListener,
): LogRecordExporter {
  return new OTLPExporterBase<ReadableLogRecord[]>(
    createOtlpHttpExportDelegate(
      convertLegacyHttpOptions(config, 'LOGS', 'v1/logs', { 'Content-Type': 'application/json' }),
      reportingRejections(createJsonLogsSerializer(), onRejected),
      // What the official exporter reports as `otel.component.type` in its self-metrics.
      'otlp_http_log_exporter',
      LogsExporterMetricsHelper,
      config.selfObsMeterProvider,
    ),
  );
}

// What the official exporters report as `otel.component.type` in their self-metrics (their
// semconv.ts), and the gRPC service and method (logs_service.proto): the wire is the same.
const HTTP_COMPONENT_TYPE = 'otlp_http_log_exporter';
const GRPC_COMPONENT_TYPE = 'otlp_grpc_log_exporter';
const GRPC_SERVICE = 'LogsExportService';
const GRPC_EXPORT_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';

/**
 * An official OTLP log exporter — the OTLP/HTTP protobuf one of
 * `@opentelemetry/exporter-logs-otlp-proto` or the gRPC one of
 * `@opentelemetry/exporter-logs-otlp-grpc` (0.223) — built the same way: same config,
 * `OTEL_EXPORTER_OTLP_[LOGS_]*` variables, path or gRPC method, headers or metadata,
 * credentials, retries, concurrency limit, compression and self-metrics. Only the serializer
 * differs: tracelink's in place of `ProtobufLogsSerializer`, the same message bytes encoded in
 * about half the time (`npm run bench -- serializer`), and it also exports records that came
 * encoded from the thread that logged them ({@link OtlpLogItem}).
 *
 * @example
 * ```ts
 * const overHttp = ProtobufLogExporter.overHttp({ url: 'http://collector:4318/v1/logs' });
 * const overGrpc = ProtobufLogExporter.overGrpc({ url: 'http://collector:4317' });
 * ```
 */
export class ProtobufLogExporter
  extends OTLPExporterBase<OtlpLogItem[]>
  implements LogRecordExporter
{
  /**
   * Over OTLP/HTTP, `Content-Type: application/x-protobuf`, to `/v1/logs`. `onRejected` hears
   * of records an answer says were rejected (partial success).
   */
  static overHttp(
    config: OTLPExporterNodeConfigBase = {},
    onRejected: RejectionListener = ignoreRejections,
  ): ProtobufLogExporter {
    return new ProtobufLogExporter(
      createOtlpHttpExportDelegate(
        convertLegacyHttpOptions(config, 'LOGS', 'v1/logs', {
          'Content-Type': 'application/x-protobuf',
        }),
        reportingRejections(createProtobufLogsSerializer(), onRejected),
        HTTP_COMPONENT_TYPE,
        LogsExporterMetricsHelper,
        config.selfObsMeterProvider,
      ),
    );
  }

  /** Over OTLP/gRPC, `LogsService/Export`; `onRejected` as for {@link overHttp}. */
  static overGrpc(
    config: OTLPGRPCExporterConfigNode = {},
    onRejected: RejectionListener = ignoreRejections,
  ): ProtobufLogExporter {
    return new ProtobufLogExporter(
      createOtlpGrpcExportDelegate(
        convertLegacyOtlpGrpcOptions(config, 'LOGS'),
        reportingRejections(createProtobufLogsSerializer(), onRejected),
        GRPC_COMPONENT_TYPE,
        LogsExporterMetricsHelper,
        config.selfObsMeterProvider,
        GRPC_SERVICE,
        GRPC_EXPORT_PATH,
      ),
    );
  }
}

/** An exporter that accepts and discards everything: `OTEL_LOGS_EXPORTER=none`. */
const NONE_EXPORTER: LogRecordExporter = {
  export: (_records, resultCallback) => resultCallback({ code: ExportResultCode.SUCCESS }),
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};

// How long a synchronous write waits, in all, for a full pipe (stdout read by a slow
// consumer) before the batch is reported failed: the exporter must not hang the worker.
const MAX_STDOUT_WAIT_MILLIS = 2000;

/** Writes all of `bytes` to `fd`, waiting (bounded) while a non-blocking pipe is full. */
function writeAllSync(fd: number, bytes: Buffer): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let offset = 0;
  let waited = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || waited >= MAX_STDOUT_WAIT_MILLIS)
        throw error;
      Atomics.wait(pause, 0, 0, 10);
      waited += 10;
    }
  }
}

/**
 * The `console` exporter: prints each record as sdk-logs' ConsoleLogRecordExporter does (the
 * same fields, `util.inspect` to depth 3), but with a synchronous write to stdout. The
 * official one calls `console.dir`, which in a worker thread forwards to the main thread
 * asynchronously: the records flushed at exit — when the main thread waits for the worker,
 * or has already exited — were never printed.
 *
 * @example
 * ```ts
 * new StdoutLogRecordExporter().export(records, () => {});
 * ```
 */
export class StdoutLogRecordExporter implements LogRecordExporter {
  export(records: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    let text = '';
    for (const record of records) {
      const printed = {
        resource: { attributes: record.resource.attributes },
        instrumentationScope: record.instrumentationScope,
        timestamp: hrTimeToMicroseconds(record.hrTime),
        traceId: record.spanContext?.traceId,
        spanId: record.spanContext?.spanId,
        traceFlags: record.spanContext?.traceFlags,
        severityText: record.severityText,
        severityNumber: record.severityNumber,
        eventName: record.eventName,
        body: record.body,
        attributes: record.attributes,
      };
      text += `${inspect(printed, { depth: 3 })}\n`;
    }
    try {
      writeAllSync(1, Buffer.from(text));
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The OTLP log exporter for the protocol. Only options the user gave are passed: the
 * exporters read `OTEL_EXPORTER_OTLP_[LOGS_]{ENDPOINT,HEADERS,COMPRESSION,TIMEOUT,
 * CERTIFICATE,CLIENT_KEY,CLIENT_CERTIFICATE}` themselves, with the spec's precedence.
 * `onRejected` hears of records a collector's answer says it rejected (partial success).
 */
export function createLogExporter(
  options: ResolvedOtlpOptions,
  onRejected: RejectionListener = ignoreRejections,
): LogRecordExporter {
  if (isProtobufExport(options)) return createProtobufLogExporter(options, onRejected);
  if (options.exporter === 'none') return NONE_EXPORTER;
  if (options.exporter === 'console') return new StdoutLogRecordExporter();
  return createJsonLogExporter({ ...commonConfigOf(options), ...headersOf(options) }, onRejected);
}

/**
 * The exporter for a protobuf protocol — `grpc`, else `http/protobuf` — which also takes
 * records that came encoded. Each is the official exporter's delegate (HTTP, or gRPC with
 * metadata from the headers) with our one-pass encoder in place of otlp-transformer's:
 * byte-identical messages, 2.0–2.3x less CPU per record (`npm run bench -- serializer`) on the
 * worker's critical path.
 */
export function createProtobufLogExporter(
  options: ResolvedOtlpOptions,
  onRejected: RejectionListener = ignoreRejections,
): ProtobufLogExporter {
  const common = commonConfigOf(options);
  if (options.protocol !== 'grpc') {
    return ProtobufLogExporter.overHttp({ ...common, ...headersOf(options) }, onRejected);
  }
  if (options.headers === undefined) return ProtobufLogExporter.overGrpc(common, onRejected);
  const metadata = createEmptyMetadata();
  for (const [key, value] of Object.entries(options.headers)) metadata.set(key, value);
  return ProtobufLogExporter.overGrpc({ ...common, metadata }, onRejected);
}

function commonConfigOf(options: ResolvedOtlpOptions) {
  const compression = options.compression as CompressionAlgorithm | undefined;
  return {
    ...(options.endpoint === undefined ? {} : { url: options.endpoint }),
    ...(options.timeoutMillis === undefined ? {} : { timeoutMillis: options.timeoutMillis }),
    ...(compression === undefined ? {} : { compression }),
  };
}

function headersOf(options: ResolvedOtlpOptions): { headers?: Record<string, string> } {
  return options.headers === undefined ? {} : { headers: { ...options.headers } };
}
