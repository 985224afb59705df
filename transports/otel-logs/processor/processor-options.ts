import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { InvalidOptionError } from '../../../src/core/invalid-option-error.js';
import { isRecord } from '../../mapping/mapping-options.js';
import { OTLP_OPTIONS } from '../../options/otlp-option-table.js';
import type { OtlpExportOptions } from '../../options/otlp-options.js';
import { resolveOption } from '../../options/resolve-otlp-options.js';

/**
 * Options of `QueuedLogRecordProcessor`: the exporter, and the bounds and timings the OTLP
 * transports take (the same names, variables and defaults).
 *
 * @example
 * ```ts
 * const options: QueuedLogRecordProcessorOptions = { exporter: new OTLPLogExporter(), maxBufferedBytes: 8 << 20 };
 * ```
 */
export interface QueuedLogRecordProcessorOptions extends Pick<
  OtlpExportOptions,
  | 'maxQueueSize'
  | 'maxExportBatchSize'
  | 'maxExportBatchBytes'
  | 'scheduledDelayMillis'
  | 'maxConcurrentExports'
> {
  /** Where batches go: any sdk-logs `LogRecordExporter` (`OTLPLogExporter` of any protocol). */
  readonly exporter: LogRecordExporter;
  /**
   * How the reports name the destination.
   * @default the exporter's class name, e.g. 'OTLPLogExporter'
   */
  readonly destination?: string;
  /**
   * Bytes of records held in front of the export queue while it is full or the collector is
   * down; past it the newest records are dropped, counted as `buffer-full` (`onEmit` is
   * synchronous: a log call cannot be made to wait). @default 33554432 (32 MiB)
   */
  readonly maxBufferedBytes?: number;
  /**
   * At `shutdown()` and at the natural end of the process, how long delivering what is held may
   * take; what is undelivered then is counted and reported. @default 5000
   */
  readonly exitBudgetMillis?: number;
}

/** {@link QueuedLogRecordProcessorOptions}, validated, defaults and variables applied. */
export interface ResolvedProcessorOptions {
  readonly exporter: LogRecordExporter;
  readonly destination: string;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly maxExportBatchBytes: number;
  readonly scheduledDelayMillis: number;
  readonly maxConcurrentExports: number;
  readonly maxBufferedBytes: number;
  readonly exitBudgetMillis: number;
}

// The rows of the transports' option table these options share.
const SHARED = [
  'maxQueueSize',
  'maxExportBatchSize',
  'maxExportBatchBytes',
  'scheduledDelayMillis',
  'maxConcurrentExports',
  'maxBufferedBytes',
  'exitBudgetMillis',
] as const;
const KNOWN = new Set<string>(['exporter', 'destination', ...SHARED]);

/**
 * Validates the processor's options once: `option ?? variable ?? default`, as the transports
 * resolve them; unknown names, wrong types and an object that is no exporter throw.
 *
 * @throws {InvalidOptionError} naming the option, what it takes and what was given.
 * @example
 * ```ts
 * resolveProcessorOptions({ exporter }).maxQueueSize; // 2048
 * ```
 */
export function resolveProcessorOptions(
  options: unknown,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedProcessorOptions {
  if (!isRecord(options)) throw new InvalidOptionError('options', 'an object', options);
  for (const [name, value] of Object.entries(options)) {
    if (!KNOWN.has(name)) {
      throw new InvalidOptionError(name, `a known option name (${[...KNOWN].join(', ')})`, value);
    }
  }
  const { exporter, destination } = options;
  if (!isExporter(exporter)) {
    throw new InvalidOptionError('exporter', 'a LogRecordExporter (export, shutdown)', exporter);
  }
  if (destination !== undefined && (typeof destination !== 'string' || destination === '')) {
    throw new InvalidOptionError('destination', 'a non-empty string', destination);
  }
  const shared = {} as Record<(typeof SHARED)[number], number>;
  for (const name of SHARED) {
    shared[name] = resolveOption<number>(OTLP_OPTIONS[name], name, options[name], env) as number;
  }
  return {
    exporter,
    destination: destination ?? nameOf(exporter),
    ...shared,
    // The specification: a batch larger than the queue is capped to it.
    maxExportBatchSize: Math.min(shared.maxQueueSize, shared.maxExportBatchSize),
  };
}

function isExporter(value: unknown): value is LogRecordExporter {
  const candidate = value as Partial<LogRecordExporter> | null | undefined;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof candidate?.export === 'function' &&
    typeof candidate.shutdown === 'function'
  );
}

function nameOf(exporter: object): string {
  const name = (exporter.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== '' && name !== 'Object' ? name : 'the exporter';
}
