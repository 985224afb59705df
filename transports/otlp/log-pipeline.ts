import type { Logger } from '@opentelemetry/api-logs';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { MappedLogRecord } from '../../src/record/mapped-log-record.js';
import { createLogExporter } from './create-log-exporter.js';
import { createResource } from './create-resource.js';
import { QueuedPipeline } from './queued-pipeline.js';
import type { ResolvedOtlpOptions } from './resolve-otlp-options.js';
import { SCOPE_NAME } from './scope-name.js';
import { toEmitInput } from './to-emit-input.js';

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

  constructor(options: ResolvedOtlpOptions) {
    super(options, (onRejected) => createLogExporter(options, onRejected));
  }

  protected accept(record: MappedLogRecord, receivedBytes: number): void {
    const logger = this.logger ?? this.start(record);
    // Received as a line: 2 bytes per UTF-16 code unit; exported, at most 3 bytes per code
    // unit (UTF-8), which also covers the OTLP framing of the line's own keys and values.
    this.emittingSize = receivedBytes * 1.5;
    logger.emit(toEmitInput(record));
  }

  private start(first: MappedLogRecord): Logger {
    const queue = this.queue;
    const processor = {
      onEmit: (logRecord: ReadableLogRecord) => queue.push(logRecord, this.emittingSize),
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
