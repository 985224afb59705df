import type { Logger } from 'pino';
import { context } from '@opentelemetry/api';
import type { TraceFieldOptions } from '../fields/field-profile.js';
import { TraceFieldWriter } from '../fields/trace-field-writer.js';
import { reportProblem } from '../core/report-problem.js';
import { markingErrorSpans, resolvePinoErrorLevel } from './pino-error-spans.js';
import { InvalidOptionError } from '../core/invalid-option-error.js';

/** pino's `mixin` signature, generic over the logger's custom levels. */
export type PinoMixinFn<CustomLevels extends string = never> = (
  mergeObject: object,
  level: number,
  logger: Logger<CustomLevels>,
) => object;

/** Options of {@link pinoMixin}. */
export interface PinoMixinOptions<CustomLevels extends string = never> extends TraceFieldOptions {
  /**
   * Your own mixin, composed with the trace fields: its fields come first and the trace
   * fields are written over them (the ids of the active span are the truth).
   * @default undefined
   */
  readonly mixin?: PinoMixinFn<CustomLevels>;
  /**
   * Error lines mark their span (with a tracing SDK; a no-op in lightweight mode): a line at
   * pino's `error` level or above (`true`), or at this level value or above (a number), records
   * the error it logged as an `exception` event on the active span and sets the span's status
   * to ERROR.
   * @default false
   */
  readonly markSpanOnError?: boolean | number;
}

/**
 * A pino `mixin` that stamps the active span's trace context into every line: by default
 * `trace_id`, `span_id`, `trace_flags`. With no valid span it adds nothing and allocates
 * nothing. It never throws into the log call.
 *
 * @throws {InvalidOptionError} when an option is invalid (at creation, never per line).
 * @example
 * ```ts
 * import pino from 'pino';
 * import { pinoMixin } from 'tracelink/pino';
 *
 * const logger = pino({ mixin: pinoMixin() });
 * logger.info('hello'); // {"level":30,…,"trace_id":"…","span_id":"…","trace_flags":"01","msg":"hello"}
 * ```
 */
export function pinoMixin<CustomLevels extends string = never>(
  options: PinoMixinOptions<CustomLevels> = {},
): PinoMixinFn<CustomLevels> {
  const errorLevel = resolvePinoErrorLevel(options?.markSpanOnError);
  if (errorLevel !== undefined) {
    return markingErrorSpans(pinoMixin({ ...options, markSpanOnError: false }), errorLevel);
  }
  const writer = new TraceFieldWriter(options, PINO_OWN_KEYS, ['mixin', 'markSpanOnError']);
  const userMixin = options.mixin;
  if (userMixin !== undefined && typeof userMixin !== 'function') {
    throw new InvalidOptionError('mixin', 'a pino mixin function', userMixin);
  }
  if (userMixin === undefined) {
    // pino merges with `Object.assign(mixinResult, mergeObject)`: handing back the merge
    // object itself when there is nothing to add is a no-op merge and allocates nothing.
    return (mergeObject) => writer.fieldsFor(context.active()) ?? mergeObject;
  }
  return (mergeObject, level, logger) => {
    let own: object | undefined;
    try {
      own = userMixin(mergeObject, level, logger);
    } catch (error) {
      reportProblem('the user mixin', 'the line is logged without its fields', error);
    }
    const fields = writer.fieldsFor(context.active());
    if (fields === undefined) return own ?? mergeObject;
    if (own === undefined || own === null) return fields;
    // The trace fields win over the mixin's; baggage entries do not (writeTo skips them).
    const merged = Object.assign({}, own) as Record<string, unknown>;
    writer.writeTo(merged, context.active());
    return merged;
  };
}

// What pino writes on every line itself, before the mixin's fields: a baggage field of the same
// name would be a second key, the one JSON parsers keep.
const PINO_OWN_KEYS = ['level', 'time', 'pid', 'hostname', 'msg'];
