import { context } from '@opentelemetry/api';
import type { Logger } from 'winston';
import TransportStream from 'winston-transport';
import type { TransportStreamOptions } from 'winston-transport';
import { capturedContextOf } from '../../src/core/captured-context.js';
import { reportProblem } from '../../src/core/report-problem.js';
import { captureTraceContext } from '../../src/winston/capture-trace-context.js';
import { mapWinstonRecord, resolveWinstonMapping } from '../mapping/winston.js';
import type { ResolvedWinstonMapping } from '../mapping/winston.js';
import {
  reportLeftToInstrumentation,
  winstonLoggerSendsItself,
} from './log-sending-instrumentation.js';
import { resolveOtelLogsOptions } from './otel-logs-options.js';
import type { OtelLogsOptions, ResolvedOtelLogsOptions } from './otel-logs-options.js';
import type { OtelLogsStats } from './otel-logs-stats.js';
import { SdkLogEmitter } from './sdk-log-emitter.js';

/** Options of {@link WinstonOtelLogsTransport}: winston's transport options and {@link OtelLogsOptions}. */
export interface WinstonOtelLogsTransportOptions extends TransportStreamOptions, OtelLogsOptions {}

// winston-transport's own options: every other name must be one of OtelLogsOptions.
const WINSTON_OPTIONS = new Set<string>([
  'format',
  'level',
  'silent',
  'handleExceptions',
  'handleRejections',
  'log',
  'logv',
  'close',
] satisfies (keyof TransportStreamOptions)[]);

/**
 * A winston transport that emits every record, mapped by tracelink (severity, body,
 * attributes, `exception.*`, trace ids), through the app's own OpenTelemetry logs SDK: the
 * logger of the `LoggerProvider` registered with `@opentelemetry/api-logs` (NodeSDK's, with its
 * `logRecordProcessors`), in the app's thread, with no worker and no exporter of its own. The
 * span is the one active at the log call (the transport makes its logger capture it when
 * added). Records logged before a provider is registered are held (`maxHeldRecords`) and
 * emitted, in order, once one is. When `@opentelemetry/instrumentation-winston` already sends
 * the logger's records, it emits none of them (each would be sent twice) and says so once
 * through `diag`.
 *
 * @example
 * ```ts
 * import winston from 'winston';
 * import { WinstonOtelLogsTransport } from 'tracelink/otel-logs';
 *
 * const logger = winston.createLogger({ transports: [new WinstonOtelLogsTransport()] });
 * ```
 */
export class WinstonOtelLogsTransport extends TransportStream {
  private readonly resolved: ResolvedOtelLogsOptions;
  private readonly emitter: SdkLogEmitter;
  private mapping: ResolvedWinstonMapping | undefined;
  private mappedLevels: unknown;
  private logger: Logger | undefined;
  /** How many transports the logger had when last looked at, and whether one sends itself. */
  private seenTransports = -1;
  private sendsItself = false;
  private reportedInstrumentation = false;

  /** @throws {InvalidOptionError} when an option is invalid (an unknown name too). */
  constructor(options: WinstonOtelLogsTransportOptions = {}) {
    super(options);
    this.resolved = resolveOtelLogsOptions(options, WINSTON_OPTIONS);
    this.emitter = new SdkLogEmitter(this.resolved.maxHeldRecords);
    this.mappingFor();
    this.on('pipe', (logger: Logger) => {
      this.logger = captureTraceContext(logger);
      this.seenTransports = -1;
    });
  }

  override log(info: object, callback: () => void): void {
    try {
      if (this.instrumentationSends()) {
        this.leaveToInstrumentation();
      } else {
        const record = mapWinstonRecord(info, this.mappingFor());
        this.emitter.emit(record, capturedContextOf(info) ?? context.active());
      }
    } catch (error) {
      // Only resolving the mapping can throw (levels that are no level set).
      this.emitter.counts.received++;
      this.emitter.counts.dropped['emit-failed']++;
      reportProblem('mapping a winston record', 'it is dropped, counted as emit-failed', error);
    }
    callback();
  }

  /**
   * The counts now: received, emitted, held, left to the instrumentation, dropped by reason.
   *
   * @example
   * ```ts
   * const { held, dropped } = transport.stats();
   * ```
   */
  stats(): OtelLogsStats {
    return this.emitter.counts.snapshot();
  }

  override close(): void {
    this.emitter.close();
  }

  // instrumentation-winston adds its transport when the logger is configured, after this one
  // was piped: looked at again whenever the number of transports changed.
  private instrumentationSends(): boolean {
    const transports = (this.logger as { transports?: unknown } | undefined)?.transports;
    if (!Array.isArray(transports)) return false;
    if (transports.length !== this.seenTransports) {
      this.seenTransports = transports.length;
      this.sendsItself = winstonLoggerSendsItself(transports);
    }
    return this.sendsItself;
  }

  private leaveToInstrumentation(): void {
    this.emitter.counts.received++;
    this.emitter.counts.leftToInstrumentation++;
    if (this.reportedInstrumentation) return;
    this.reportedInstrumentation = true;
    reportLeftToInstrumentation('winston');
  }

  private mappingFor(): ResolvedWinstonMapping {
    // winston hands its logger's levels to the transport (`this.levels`) when it is added.
    const levels = (this as { levels?: Record<string, number> }).levels;
    if (this.mapping === undefined || this.mappedLevels !== levels) {
      this.mappedLevels = levels;
      const { severityOverrides, flattenAttributes, fields } = this.resolved;
      this.mapping = resolveWinstonMapping({
        levels,
        severityOverrides,
        flattenAttributes,
        fields,
      });
    }
    return this.mapping;
  }
}
