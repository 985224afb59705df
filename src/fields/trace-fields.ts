import { context } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import type { TraceFieldOptions } from './field-profile.js';
import { TraceFieldWriter } from './trace-field-writer.js';
import type { TraceFieldRecord } from './trace-field-writer.js';

// One shared, frozen empty result: with no span nothing is allocated, and a caller cannot
// mutate what every other caller gets.
const NO_FIELDS: Readonly<TraceFieldRecord> = Object.freeze({});

/** Reads the trace fields of a context; see {@link createTraceFields}. */
export type TraceFieldReader = (ctx?: Context) => Readonly<TraceFieldRecord>;

/**
 * Creates a logger-agnostic reader of the trace fields, with the profile fixed now. The
 * reader returns a fresh object for the active context (or `ctx`), or a frozen empty object
 * when there is no valid span and no allow-listed baggage. It never throws.
 *
 * @throws {InvalidOptionError} when an option is invalid.
 * @example
 * ```ts
 * const readFields = createTraceFields({ fields: 'ecs' });
 * console.log(JSON.stringify({ message: 'hi', ...readFields() }));
 * // {"message":"hi","trace.id":"4bf9…","span.id":"00f0…"}
 * ```
 */
export function createTraceFields(options: TraceFieldOptions = {}): TraceFieldReader {
  const writer = new TraceFieldWriter(options);
  return (ctx: Context = context.active()) => writer.fieldsFor(ctx) ?? NO_FIELDS;
}

let readDefaultFields: TraceFieldReader | undefined;

/**
 * The trace fields of the active context (or `ctx`) with the default `otel` profile:
 * `trace_id`, `span_id`, `trace_flags`. Frozen empty object when there is no valid span.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify({ msg: 'hi', ...traceFields() }));
 * ```
 */
export function traceFields(ctx?: Context): Readonly<TraceFieldRecord> {
  readDefaultFields ??= createTraceFields();
  return readDefaultFields(ctx);
}
