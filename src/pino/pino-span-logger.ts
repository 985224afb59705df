import type { Logger } from 'pino';
import { context } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { isValid, readAnySpanContext } from '../core/span-context.js';
import type { TraceFieldOptions } from '../fields/field-profile.js';
import { TraceFieldWriter } from '../fields/trace-field-writer.js';
import { reportProblem } from '../core/report-problem.js';
import { withoutLogFields } from '../fields/log-fields.js';

/**
 * Options of {@link pinoSpanLogger}. Baggage is not offered: it belongs to a context, not to
 * a span, so it cannot be serialised once per span; use {@link pinoMixin} for baggage. The
 * `requestId` field is offered because the incoming-HTTP middleware stores the request id in
 * the same context as the request's span; it is read when the span's child logger is made, at
 * the first `log()` call inside the span.
 */
export type PinoSpanLoggerOptions = Omit<TraceFieldOptions, 'baggage'>;

/**
 * The fast pino path: returns a function that gives the child logger of the active span,
 * whose bindings hold the trace fields. pino serialises bindings once, when the child is
 * made, so the ids cost nothing per line (`npm run bench -- correlation`). Children are cached
 * per span and released with it; outside a valid span the base logger itself is returned.
 * A child follows the base logger's level even when it changes later.
 *
 * @throws {InvalidOptionError} when an option is invalid.
 * @example
 * ```ts
 * import pino from 'pino';
 * import { pinoSpanLogger } from 'tracelink/pino';
 *
 * const log = pinoSpanLogger(pino());
 * tracer.startActiveSpan('work', (span) => {
 *   log().info('inside'); // carries trace_id, span_id, trace_flags
 *   span.end();
 * });
 * ```
 */
export function pinoSpanLogger<CustomLevels extends string = never>(
  logger: Logger<CustomLevels>,
  options: PinoSpanLoggerOptions = {},
): () => Logger<CustomLevels> {
  const writer = new TraceFieldWriter({ ...options, baggage: undefined });
  const children = new WeakMap<SpanContext, Logger<CustomLevels>>();
  let lastSpanContext: SpanContext | undefined;
  let lastChild: Logger<CustomLevels> = logger;

  const childFor = (spanContext: SpanContext): Logger<CustomLevels> => {
    let child = children.get(spanContext);
    if (child === undefined) {
      // Log fields belong to a scope, not a span: a span's child cannot carry them.
      child = logger.child(writer.fieldsFor(withoutLogFields(context.active())) ?? {});
      children.set(spanContext, child);
    }
    return child;
  };

  return () => {
    try {
      const spanContext = readAnySpanContext(context.active());
      if (spanContext === undefined) return logger;
      // Validated once per span context: a repeat of the last one skips the check.
      if (spanContext !== lastSpanContext) {
        lastChild = isValid(spanContext) ? childFor(spanContext) : logger;
        lastSpanContext = spanContext;
      }
      const child = lastChild;
      // Children copy the level when made; follow the base logger's later level changes.
      if (child.levelVal !== logger.levelVal) child.level = logger.level;
      return child;
    } catch (error) {
      reportProblem('pinoSpanLogger', 'the base logger is used, without trace fields', error);
      return logger;
    }
  };
}
