import { diag, trace } from '@opentelemetry/api';
import type { Context, SpanContext } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import type { Logger, LoggerProvider } from '@opentelemetry/api-logs';
import { reportProblem } from '../../src/core/report-problem.js';
import { SCOPE_NAME } from '../encode/write-log-record.js';
import { toHrTime } from '../mapping/mapped-log-record.js';
import type { MappedLogRecord } from '../mapping/mapped-log-record.js';
import { writeStderrLine } from '../stderr.js';
import { onProcessExit } from './exit-hooks.js';
import { OtelLogsCounters } from './otel-logs-stats.js';

// Where every copy of @opentelemetry/api-logs keeps the registered LoggerProvider (its
// global-utils: `Symbol.for`, so that copies of different versions share one). Until
// `logs.setGlobalLoggerProvider()` — NodeSDK's `start()` — sets it, `logs.getLoggerProvider()`
// is a proxy whose loggers drop every record; and a logger taken from one copy's proxy stays a
// no-op when another copy registers the provider (sdk-node brings its own copy).
const GLOBAL_LOGS_KEY = Symbol.for('io.opentelemetry.js.api.logs');

// How often held records look for a provider when no new record comes to look for them.
const POLL_MILLIS = 100;

interface HeldRecord {
  readonly record: MappedLogRecord;
  readonly context: Context;
}

/**
 * Hands mapped records to the app's own logs SDK: the logger of the registered global
 * `LoggerProvider` (`logs.getLoggerProvider()`), looked up at each record — one property read —
 * so that a provider registered, replaced or disabled later is followed. While none is
 * registered, records are held in order (at most `maxHeld`, the newest past it dropped and
 * counted) and emitted, before any newer record, as soon as one is: at the next record, or
 * within {@link POLL_MILLIS} without one. Records still held when the process exits (or the
 * emitter closes) are counted as `no-provider-at-exit` and reported on stderr and through `diag`.
 * Never throws.
 */
export class SdkLogEmitter {
  readonly counts = new OtelLogsCounters();
  private provider: LoggerProvider | undefined;
  private logger: Logger | undefined;
  private readonly held: HeldRecord[] = [];
  private poll: NodeJS.Timeout | undefined;
  private removeExitHook: (() => void) | undefined;

  /**
   * `OTEL_SDK_DISABLED` is true: NodeSDK will not register a provider, so records that find
   * none are not held for one (counted as `sdk-disabled`).
   */
  private readonly sdkDisabled = process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';

  /** @param maxHeld records held while no provider is registered. */
  constructor(private readonly maxHeld: number) {}

  /**
   * Emits one record in `context` (the context of its log call), with the record's own span
   * context when it carries one.
   */
  emit(record: MappedLogRecord, context: Context): void {
    this.counts.received++;
    const logger = this.currentLogger();
    if (logger === undefined) return this.hold(record, context);
    if (this.held.length > 0) this.replay(logger);
    this.send(logger, record, context);
  }

  /** Emits what is held if a provider is registered now; else counts it lost and says so. */
  close(): void {
    clearInterval(this.poll);
    this.poll = undefined;
    const logger = this.currentLogger();
    if (logger !== undefined) this.replay(logger);
    else this.writeOffHeld();
    this.removeExitHook?.();
    this.removeExitHook = undefined;
  }

  private currentLogger(): Logger | undefined {
    if ((globalThis as Record<symbol, unknown>)[GLOBAL_LOGS_KEY] === undefined) return undefined;
    const provider = logs.getLoggerProvider();
    if (provider !== this.provider) {
      this.provider = provider;
      this.logger = provider.getLogger(SCOPE_NAME);
    }
    return this.logger;
  }

  private hold(record: MappedLogRecord, context: Context): void {
    if (this.sdkDisabled) {
      this.counts.dropped['sdk-disabled']++;
      return;
    }
    if (this.held.length >= this.maxHeld) {
      this.counts.dropped['hold-full']++;
      reportProblem(
        'holding log records until a LoggerProvider is registered',
        `more than maxHeldRecords (${this.maxHeld}) came first: the newest are dropped, counted as hold-full`,
      );
      return;
    }
    this.held.push({ record, context });
    this.counts.held++;
    if (this.poll === undefined) {
      this.poll = setInterval(() => this.lookForProvider(), POLL_MILLIS);
      // Held records must not keep the app alive: the exit hook counts them.
      this.poll.unref();
    }
    this.removeExitHook ??= onProcessExit({ exit: () => this.writeOffHeld() });
  }

  private lookForProvider(): void {
    const logger = this.currentLogger();
    if (logger !== undefined) this.replay(logger);
  }

  private replay(logger: Logger): void {
    clearInterval(this.poll);
    this.poll = undefined;
    const held = this.held.splice(0);
    this.counts.held -= held.length;
    for (const { record, context } of held) this.send(logger, record, context);
  }

  private send(logger: Logger, record: MappedLogRecord, context: Context): void {
    try {
      logger.emit({
        timestamp: toHrTime(record.timestamp),
        observedTimestamp: toHrTime(record.observedTimestamp),
        severityNumber: record.severityNumber,
        severityText: record.severityText,
        body: record.body,
        attributes: record.attributes,
        context: emitContext(context, record.spanContext),
      });
      this.counts.emitted++;
    } catch (error) {
      this.counts.dropped['emit-failed']++;
      reportProblem(
        "emitting a log record through the app's LoggerProvider",
        'the record is dropped, counted as emit-failed',
        error,
      );
    }
  }

  private writeOffHeld(): void {
    const lost = this.held.length;
    if (lost === 0) return;
    this.held.length = 0;
    this.counts.held -= lost;
    this.counts.dropped['no-provider-at-exit'] += lost;
    const line =
      `tracelink: ${lost} log records were logged while no OpenTelemetry LoggerProvider was ` +
      'registered and were never sent (no-provider-at-exit): start the SDK (NodeSDK#start(), ' +
      'logs.setGlobalLoggerProvider()) before the app ends';
    writeStderrLine(line);
    diag.error(line);
  }
}

/**
 * The context a record is emitted in: its log call's, where the SDK finds the span (and
 * anything else a processor reads, such as baggage); with the record's own span context when
 * its trace fields name another span (ids carried in from a message, say).
 */
function emitContext(context: Context, spanContext: SpanContext | undefined): Context {
  if (spanContext === undefined) return context;
  const active = trace.getSpanContext(context);
  if (active?.spanId === spanContext.spanId && active.traceId === spanContext.traceId) {
    return context;
  }
  return trace.setSpanContext(context, spanContext);
}
