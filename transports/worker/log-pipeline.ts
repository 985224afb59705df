import type { AttributeValue, Context } from '@opentelemetry/api';
import type { AnyValueMap, Logger } from '@opentelemetry/api-logs';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResolvedOtlpOptions } from '../options/resolve-otlp-options.js';
import { toEmitInput } from '../mapping/mapped-log-record.js';
import { restorePrefixedKeys } from '../mapping/sdk-attribute-keys.js';
import type { MappedLogRecord } from '../mapping/mapped-log-record.js';
import { createLogExporter, createProtobufLogExporter } from './exporters.js';
import { QueuedPipeline } from './queued-pipeline.js';
import { SCOPE_NAME } from '../encode/write-log-record.js';
import type { LogScope } from '../encode/write-log-record.js';
import type { BatchExporter } from './export-queue.js';
import type { EncodedLogRecord } from '../encode/encode-logs-request.js';

/**
 * The resource every record is sent with, lowest precedence first: the SDK's defaults
 * (telemetry.sdk.*, a default service.name), what the records say about their process
 * (pino's hostname and pid, as host.name and process.pid), OTEL_RESOURCE_ATTRIBUTES and
 * OTEL_SERVICE_NAME, then the `resource` and `serviceName` options.
 */
export function createResource(options: ResolvedOtlpOptions, fromRecords: AnyValueMap): Resource {
  const recordAttributes: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(fromRecords)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      recordAttributes[key] = value;
    }
  }
  const own: Record<string, AttributeValue> = { ...options.resource };
  if (options.serviceName !== undefined) own['service.name'] = options.serviceName;
  return defaultResource()
    .merge(resourceFromAttributes(recordAttributes))
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes(own));
}

/**
 * The OTLP pipeline of the pino transport (and of the winston transport over http/json and to
 * the console or none exporters, where records are not encoded on the logging thread): mapped
 * records in, OTLP out through a LoggerProvider of `@opentelemetry/sdk-logs`, the exporter and
 * an {@link ExportQueue}. The provider is made on the first record, so the resource can carry
 * what the records say about their process (pino's hostname and pid).
 */
export class LogPipeline extends QueuedPipeline<MappedLogRecord, ReadableLogRecord> {
  private logger: Logger | undefined;
  /** The exported size of the record being emitted: sdk-logs hands the record on synchronously. */
  private emittingSize = 0;

  /** @param exporter in place of the exporter the options make (tests). */
  constructor(options: ResolvedOtlpOptions, exporter?: BatchExporter<ReadableLogRecord>) {
    super(options, (onRejected) => exporter ?? createLogExporter(options, onRejected));
  }

  protected accept(record: MappedLogRecord, receivedBytes: number): void {
    const logger = this.logger ?? this.start(record);
    // Received as a line of `receivedBytes` characters; exported, at most 3 bytes per
    // character (UTF-8), which also covers the OTLP framing of the line's own keys and values.
    this.emittingSize = receivedBytes * 3;
    logger.emit(toEmitInput(record));
  }

  private start(first: MappedLogRecord): Logger {
    const queue = this.queue;
    const processor = {
      onEmit: (logRecord: ReadableLogRecord, context?: Context) => {
        restorePrefixedKeys(logRecord, context);
        queue.push(logRecord, this.emittingSize);
      },
      forceFlush: () => queue.forceFlush(),
      shutdown: () => queue.shutdown(),
    };
    const provider = new LoggerProvider({
      resource: createResource(this.options, first.resource),
      processors: [processor],
    });
    this.logger = provider.getLogger(SCOPE_NAME);
    return this.logger;
  }
}

// The scope sdk-logs gives a logger made with `getLogger(SCOPE_NAME)`: the name alone.
const SCOPE: LogScope = { name: SCOPE_NAME };

/**
 * The pipeline of records that arrive as the bytes of an OTLP `LogRecord`, encoded by the
 * thread that logged them through its own sdk-logs logger (the winston transport, over
 * OTLP/HTTP protobuf or gRPC): they go to the queue and the protobuf exporter as they are,
 * with no parsing, no sdk-logs record and no encoding on this thread. The resource is made
 * here, on the first record, as the sdk-logs pipeline makes it for records that say nothing
 * of their process.
 */
export class EncodedLogPipeline extends QueuedPipeline<Uint8Array, EncodedLogRecord> {
  private resource: Resource | undefined;

  /** @param exporter in place of the protobuf exporter the options make (tests). */
  constructor(options: ResolvedOtlpOptions, exporter?: BatchExporter<EncodedLogRecord>) {
    super(options, (onRejected) => exporter ?? createProtobufLogExporter(options, onRejected));
  }

  protected accept(encoded: Uint8Array): void {
    this.resource ??= createResource(this.options, {});
    // Its exported size is known exactly: the bytes themselves.
    const record = { resource: this.resource, instrumentationScope: SCOPE, encoded };
    this.queue.push(record, encoded.length);
  }
}
