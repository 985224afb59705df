import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import type { OTLPExporterNodeConfigBase } from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import { JsonLogsSerializer, LogsExporterMetricsHelper } from './otlp-transformer-logs.js';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { reportingRejections } from './reporting-rejections.js';
import type { RejectionListener } from './reporting-rejections.js';

/**
 * The OTLP/HTTP JSON log exporter, built as `@opentelemetry/exporter-logs-otlp-http` 0.223
 * builds its `OTLPLogExporter` — the same delegate, config, variables, headers, retries and
 * serializer — with the answers' partial success reported to `onRejected`.
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
      reportingRejections(JsonLogsSerializer, onRejected),
      // What the official exporter reports as `otel.component.type` in its self-metrics.
      'otlp_http_log_exporter',
      LogsExporterMetricsHelper,
      config.selfObsMeterProvider,
    ),
  );
}
