import type { Format, TransformableInfo } from 'logform';
import type { TraceFieldOptions } from '../profiles/trace-field-options.js';
import { TraceFieldWriter } from '../profiles/trace-field-writer.js';
import { contextOfRecord } from './context-of-record.js';
import { stringifyRecord } from './stringify-record.js';

// triple-beam's MESSAGE: the finished line that winston transports write.
const MESSAGE = Symbol.for('message');
const CLOSING_BRACE = 0x7d;

/** Options of {@link traceJson}. */
export type TraceJsonOptions = TraceFieldOptions;

/**
 * A terminal format: `format.json()` and the trace fields in one step, and faster than plain
 * `format.json()` without them (bench/RESULTS.md). Keys are written in insertion order —
 * `json()` sorts them on every line, which is most of its cost — and the trace fields,
 * serialised once per span, are appended to the line. Records `JSON.stringify` rejects
 * (cycles, BigInt) are written as `json()` would write them. Never throws.
 *
 * @throws {InvalidOptionError} when an option is invalid.
 * @example
 * ```ts
 * const logger = captureTraceContext(winston.createLogger({ format: traceJson() }));
 * logger.info('hi'); // {"level":"info","message":"hi","trace_id":"…","span_id":"…","trace_flags":"01"}
 * ```
 */
export function traceJson(options: TraceJsonOptions = {}): Format {
  const writer = new TraceFieldWriter(options);
  return {
    options,
    transform(info: TransformableInfo) {
      const record = info as Record<string | symbol, unknown>;
      const ctx = contextOfRecord(info);
      const members = writer.jsonMembersFor(ctx);
      if (members === '') {
        record[MESSAGE] = stringifyRecord(info);
      } else if (writer.hasOwnFieldIn(info)) {
        // The record names a trace field itself: overwrite it rather than write the key twice.
        writer.writeTo(info, ctx);
        record[MESSAGE] = stringifyRecord(info);
      } else {
        const line = stringifyRecord(info);
        // A `toJSON` may turn the record into something other than an object: leave that be.
        record[MESSAGE] =
          line.charCodeAt(line.length - 1) !== CLOSING_BRACE
            ? line
            : line.length === 2
              ? `{${members}}`
              : `${line.slice(0, -1)},${members}}`;
      }
      return info;
    },
  };
}
