import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import type { OTLPExporterNodeConfigBase } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import type { OTLPGRPCExporterConfigNode } from '@opentelemetry/otlp-grpc-exporter-base';
import {
  convertLegacyOtlpGrpcOptions,
  createOtlpGrpcExportDelegate,
} from '@opentelemetry/otlp-grpc-exporter-base';
import { LogsExporterMetricsHelper } from '../otlp-transformer-logs.js';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { OtlpLogItem } from './encoded-log-record.js';
import { createProtobufLogsSerializer } from './protobuf-logs-serializer.js';
import { ignoreRejections, reportingRejections } from '../reporting-rejections.js';
import type { RejectionListener } from '../reporting-rejections.js';

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
 * about half the time (`npm run bench:serializer`), and it also exports records that came
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
