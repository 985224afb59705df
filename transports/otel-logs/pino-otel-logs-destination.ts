import { context } from '@opentelemetry/api';
import { reportProblem } from '../../src/core/report-problem.js';
import { parsePinoLine } from '../mapping/json-values.js';
import { mapPinoRecord, resolvePinoMapping } from '../mapping/pino.js';
import type { PinoLevels, ResolvedPinoMapping } from '../mapping/pino.js';
import {
  pinoLoggerSendsItself,
  pinoSymbolValue,
  reportLeftToInstrumentation,
} from './log-sending-instrumentation.js';
import { resolveOtelLogsOptions } from './otel-logs-options.js';
import type { OtelLogsOptions, ResolvedOtelLogsOptions } from './otel-logs-options.js';
import type { OtelLogsStats } from './otel-logs-stats.js';
import { SdkLogEmitter } from './sdk-log-emitter.js';

/**
 * What {@link pinoOtelLogsDestination} returns: a pino destination (`pino(options, destination)`,
 * or one of `pino.multistream`'s streams) with its counts.
 *
 * @example
 * ```ts
 * const destination: PinoOtelLogsDestination = pinoOtelLogsDestination();
 * const logger = pino({ mixin: pinoMixin() }, destination);
 * ```
 */
export interface PinoOtelLogsDestination {
  /** Takes one line from pino. Never throws. */
  write(line: string): void;
  /** The counts now: received, emitted, held, left to the instrumentation, dropped by reason. */
  stats(): OtelLogsStats;
  /** Emits what is held if a provider is registered, else counts it as lost and says so. */
  end(): void;
}

/** What the destination reads from each logger that writes to it, once per logger. */
interface LoggerSetup {
  readonly mapping: ResolvedPinoMapping;
  readonly messageKey: string;
  /** instrumentation-pino's log sending is on for this logger. */
  readonly sendsItself: boolean;
}

// pino sets lastLevel, lastObj, lastMsg, lastTime and lastLogger on a stream that has this
// property true, before each write (pino/lib/proto.js; pino.multistream passes them on).
const PINO_METADATA = Symbol.for('pino.metadata');

class OtelLogsDestination implements PinoOtelLogsDestination {
  readonly [PINO_METADATA] = true;
  /** What `pino(destination)` looks for to take its one argument as the destination. */
  readonly writable = true;
  /** The logger of the line being written (set by pino). */
  lastLogger: object | undefined = undefined;
  private readonly emitter: SdkLogEmitter;
  private readonly defaults: LoggerSetup;
  private readonly setups = new WeakMap<object, LoggerSetup>();
  /** The last logger seen and its setup: most lines come from the same logger as the last. */
  private seenLogger: object | undefined;
  private seenSetup: LoggerSetup;
  private reportedInstrumentation = false;

  constructor(private readonly options: ResolvedOtelLogsOptions) {
    this.emitter = new SdkLogEmitter(options.maxHeldRecords);
    this.defaults = { mapping: this.mappingOf({}), messageKey: 'msg', sendsItself: false };
    this.seenSetup = this.defaults;
  }

  write(line: string): void {
    try {
      const logger = this.lastLogger;
      let setup = this.defaults;
      if (logger !== undefined) {
        setup = logger === this.seenLogger ? this.seenSetup : this.setupOf(logger);
      }
      if (setup.sendsItself) return this.leaveToInstrumentation();
      const record = mapPinoRecord(
        parsePinoLine(line, setup.messageKey),
        setup.mapping,
        Date.now(),
        true,
      );
      // pino writes in the log call: the active context is the call's.
      this.emitter.emit(record, context.active());
    } catch (error) {
      // Not expected: the mapping never throws. Counted as received, and reported.
      this.emitter.counts.received++;
      this.emitter.counts.dropped['emit-failed']++;
      reportProblem('emitting a pino line', 'the line is dropped, counted as emit-failed', error);
    }
  }

  stats(): OtelLogsStats {
    return this.emitter.counts.snapshot();
  }

  end(): void {
    this.emitter.close();
  }

  private leaveToInstrumentation(): void {
    this.emitter.counts.received++;
    this.emitter.counts.leftToInstrumentation++;
    if (this.reportedInstrumentation) return;
    this.reportedInstrumentation = true;
    reportLeftToInstrumentation('pino');
  }

  private setupOf(logger: object): LoggerSetup {
    let setup = this.setups.get(logger);
    if (setup === undefined) {
      const messageKey = stringOr(pinoSymbolValue(logger, 'pino.messageKey'), 'msg');
      const errorKey = stringOr(pinoSymbolValue(logger, 'pino.errorKey'), 'err');
      const levels = (logger as { levels?: PinoLevels }).levels;
      setup = {
        mapping: this.mappingOf({ messageKey, errorKey, levels }),
        messageKey,
        sendsItself: pinoLoggerSendsItself(logger),
      };
      this.setups.set(logger, setup);
    }
    this.seenLogger = logger;
    this.seenSetup = setup;
    return setup;
  }

  private mappingOf(fromLogger: {
    messageKey?: string;
    errorKey?: string;
    levels?: PinoLevels;
  }): ResolvedPinoMapping {
    const { severityOverrides, flattenAttributes, fields } = this.options;
    try {
      return resolvePinoMapping({ ...fromLogger, severityOverrides, flattenAttributes, fields });
    } catch (error) {
      // The logger's levels are not pino's shape: pino's defaults serve, said once.
      reportProblem("reading the pino logger's levels", "pino's default levels are used", error);
      return resolvePinoMapping({ severityOverrides, flattenAttributes, fields });
    }
  }
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/**
 * A pino destination that emits every line, mapped by tracelink (severity, body, attributes,
 * `exception.*`, trace ids), through the app's own OpenTelemetry logs SDK: the logger of the
 * `LoggerProvider` registered with `@opentelemetry/api-logs` (NodeSDK's, with its
 * `logRecordProcessors`), in the app's thread, with no worker and no exporter of its own. Lines
 * written before a provider is registered are held (`maxHeldRecords`) and emitted, in order,
 * once one is. When `@opentelemetry/instrumentation-pino` already sends the logger's records,
 * it emits none of them (each would be sent twice) and says so once through `diag`. pino's
 * custom levels, `messageKey` and `errorKey` are read from the logger.
 *
 * @throws {InvalidOptionError} when an option is invalid (an unknown name too).
 * @example
 * ```ts
 * import pino from 'pino';
 * import { pinoMixin } from 'tracelink/pino';
 * import { pinoOtelLogsDestination } from 'tracelink/otel-logs';
 *
 * const logger = pino({ mixin: pinoMixin() }, pinoOtelLogsDestination());
 * ```
 */
export function pinoOtelLogsDestination(options: OtelLogsOptions = {}): PinoOtelLogsDestination {
  return new OtelLogsDestination(resolveOtelLogsOptions(options));
}
