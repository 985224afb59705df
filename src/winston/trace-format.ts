import type { Format, TransformableInfo } from 'logform';
import type { TraceFieldOptions } from '../profiles/trace-field-options.js';
import { TraceFieldWriter } from '../profiles/trace-field-writer.js';
import { contextOfRecord } from './context-of-record.js';

/** Options of {@link traceFormat}. */
export type TraceFormatOptions = TraceFieldOptions;

/**
 * A logform format that writes the trace fields onto each record (by default `trace_id`,
 * `span_id`, `trace_flags`), from the context captured at the log call by
 * {@link captureTraceContext}, else the active one. Place it before `format.json()`.
 * Never throws.
 *
 * @throws {InvalidOptionError} when an option is invalid.
 * @example
 * ```ts
 * const logger = captureTraceContext(
 *   winston.createLogger({
 *     format: winston.format.combine(traceFormat({ fields: 'ecs' }), winston.format.json()),
 *     transports: [new winston.transports.Console()],
 *   }),
 * );
 * ```
 */
export function traceFormat(options: TraceFormatOptions = {}): Format {
  const writer = new TraceFieldWriter(options);
  return {
    options,
    transform(info: TransformableInfo) {
      writer.writeTo(info, contextOfRecord(info));
      return info;
    },
  };
}
