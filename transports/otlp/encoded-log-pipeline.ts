import type { Resource } from '@opentelemetry/resources';
import { createProtobufLogExporter } from './create-log-exporter.js';
import { createResource } from './create-resource.js';
import type { BatchExporter } from './export-queue.js';
import type { EncodedLogRecord } from './protobuf/encoded-log-record.js';
import type { LogScope } from './protobuf/write-scope.js';
import { QueuedPipeline } from './queued-pipeline.js';
import type { ResolvedOtlpOptions } from './resolve-otlp-options.js';
import { SCOPE_NAME } from './scope-name.js';

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
