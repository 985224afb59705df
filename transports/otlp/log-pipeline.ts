import { diag, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import type { LogRecord, Logger } from '@opentelemetry/api-logs';
import { millisToHrTime } from '@opentelemetry/core';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { LinkedContext } from '../../src/context/linked-context.js';
import type { MappedLogRecord } from '../../src/record/mapped-log-record.js';
import { createLogExporter } from './create-log-exporter.js';
import { createResource } from './create-resource.js';
import { DeliveryStats } from './delivery-stats.js';
import { ExportQueue } from './export-queue.js';
import type { ResolvedOtlpOptions } from './resolve-otlp-options.js';
import { writeStderrLine } from './write-stderr.js';

const SCOPE_NAME = 'tracelink';
// The base of each record's context: a record's context is then one link, not a copy.
const ROOT = new LinkedContext(ROOT_CONTEXT);

/**
 * What the pipeline hands to the sdk-logs `Logger.emit` for a mapped record. The timestamps go
 * as `HrTime`, converted as sdk-logs converts epoch milliseconds (`millisToHrTime`): without
 * the time-origin lookup it makes per timestamp, and without its rule that a number below half
 * the process's time origin is a `performance.now()` reading (which would move a record stamped
 * before ~1998 to the worker's start). A time before 1970 has no `time_unix_nano` (an unsigned
 * count): it goes as 0, which OTLP reads as "unknown", beside the observed time. The context is
 * the record's own trace context, never whatever is active in the worker.
 *
 * @example
 * ```ts
 * logger.emit(toEmitInput(mapPinoRecord(line, mapping)));
 * ```
 */
export function toEmitInput(record: MappedLogRecord): LogRecord {
  return {
    timestamp: toHrTime(record.timestamp),
    observedTimestamp: toHrTime(record.observedTimestamp),
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    body: record.body,
    attributes: record.attributes,
    context:
      record.spanContext === undefined ? ROOT : trace.setSpanContext(ROOT, record.spanContext),
  };
}

function toHrTime(epochMillis: number): HrTime {
  return epochMillis >= 0 ? millisToHrTime(epochMillis) : [0, 0];
}

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
    logger.emit(toEmitInput(record));
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
