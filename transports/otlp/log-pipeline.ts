import { diag, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { MappedLogRecord } from '../../src/record/mapped-log-record.js';
import { createLogExporter } from './create-log-exporter.js';
import { createResource } from './create-resource.js';
import { DeliveryStats } from './delivery-stats.js';
import { ExportQueue } from './export-queue.js';
import type { ResolvedOtlpOptions } from './resolve-otlp-options.js';
import { writeStderrLine } from './write-stderr.js';

const SCOPE_NAME = 'tracelink';

/**
 * The shared OTLP pipeline of both transports: mapped records in, OTLP out through a
 * LoggerProvider of `@opentelemetry/sdk-logs`, the official exporter and an {@link ExportQueue}.
 * The provider is made on the first record, so the resource can carry what the records say
 * about their process (pino's hostname and pid).
 */
export class LogPipeline {
  readonly stats = new DeliveryStats();
  private readonly queue: ExportQueue;
  private logger: Logger | undefined;

  constructor(private readonly options: ResolvedOtlpOptions) {
    this.queue = new ExportQueue({
      exporter: createLogExporter(options),
      maxQueueSize: options.maxQueueSize,
      maxExportBatchSize: options.maxExportBatchSize,
      scheduledDelayMillis: options.scheduledDelayMillis,
      maxConcurrentExports: options.maxConcurrentExports,
      stats: this.stats,
    });
    if (options.disabled)
      diag.info('tracelink: OTEL_SDK_DISABLED is true; log records are not exported');
  }

  /** Hands one record to the queue. With `whenFull: 'wait'`, check {@link hasSpace} first. */
  emit(record: MappedLogRecord): void {
    if (this.options.disabled) return;
    const logger = this.logger ?? this.start(record);
    logger.emit({
      timestamp: record.timestamp,
      observedTimestamp: record.observedTimestamp,
      severityNumber: record.severityNumber,
      severityText: record.severityText,
      body: record.body,
      attributes: record.attributes,
      // An explicit context: the record's own trace context, never whatever is active here.
      context:
        record.spanContext === undefined
          ? ROOT_CONTEXT
          : trace.setSpanContext(ROOT_CONTEXT, record.spanContext),
    });
  }

  /** Whether the queue takes one more record now. */
  hasSpace(): boolean {
    return this.options.disabled || this.queue.hasSpace();
  }

  /** Resolves when the queue takes one more record. */
  whenSpace(): Promise<void> {
    return this.options.disabled ? Promise.resolve() : this.queue.whenSpace();
  }

  /** Delivers everything held; resolves when delivered or at `deadline` (epoch ms). */
  flushUntil(deadline: number): Promise<boolean> {
    return this.queue.flushUntil(deadline);
  }

  /**
   * Delivers what it can until `deadline`, then stops. What was not delivered is counted and
   * reported on stderr and through `diag`.
   */
  async shutdownUntil(deadline: number): Promise<void> {
    await this.queue.shutdownUntil(deadline);
    this.reportLoss();
  }

  /** Reports undelivered records, if any, once. */
  reportLoss(): void {
    const summary = this.stats.lossSummary(this.destination());
    if (summary === undefined) return;
    writeStderrLine(summary);
    diag.error(summary);
  }

  private destination(): string {
    if (this.options.exporter !== 'otlp') return `the ${this.options.exporter} exporter`;
    return (
      this.options.endpoint ?? `the ${this.options.protocol} endpoint configured by the environment`
    );
  }

  private start(first: MappedLogRecord): Logger {
    const provider = new LoggerProvider({
      resource: createResource(this.options, first.resource),
      processors: [this.queue],
    });
    this.logger = provider.getLogger(SCOPE_NAME);
    return this.logger;
  }
}
