import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import type { OTLPGRPCExporterConfigNode } from '@opentelemetry/otlp-grpc-exporter-base';
import {
  convertLegacyOtlpGrpcOptions,
  createOtlpGrpcExportDelegate,
} from '@opentelemetry/otlp-grpc-exporter-base';
import { LogsExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { OtlpLogItem } from './encoded-log-record.js';
import { createProtobufLogsSerializer } from './protobuf-logs-serializer.js';

// What exporter-logs-otlp-grpc reports as `otel.component.type` (its semconv.ts), and the
// service and method it calls (logs_service.proto): the wire is the same.
const COMPONENT_TYPE = 'otlp_grpc_log_exporter';
const SERVICE_NAME = 'LogsExportService';
const EXPORT_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';

/**
 * The OTLP/gRPC log exporter of `@opentelemetry/exporter-logs-otlp-grpc` (0.223), built the
 * same way — same config, `OTEL_EXPORTER_OTLP_[LOGS_]*` variables, credentials, metadata,
 * compression, retries and self-metrics — with tracelink's serializer in place of
 * `ProtobufLogsSerializer`: the same message bytes, encoded in about half the time, and it
 * also exports records that came encoded from the thread that logged them
 * ({@link OtlpLogItem}).
 *
 * @example
 * ```ts
 * const exporter = new ProtobufGrpcLogExporter({ url: 'http://collector:4317' });
 * ```
 */
export class ProtobufGrpcLogExporter
  extends OTLPExporterBase<OtlpLogItem[]>
  implements LogRecordExporter
{
  constructor(config: OTLPGRPCExporterConfigNode = {}) {
    super(
      createOtlpGrpcExportDelegate(
        convertLegacyOtlpGrpcOptions(config, 'LOGS'),
        createProtobufLogsSerializer(),
        COMPONENT_TYPE,
        LogsExporterMetricsHelper,
        config.selfObsMeterProvider,
        SERVICE_NAME,
        EXPORT_PATH,
      ),
    );
  }
}
