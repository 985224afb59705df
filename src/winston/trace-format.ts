import { configure } from 'safe-stable-stringify';
import type { Format, TransformableInfo } from 'logform';
import { reportProblem } from '../core/report-problem.js';
import type { TraceFieldOptions } from '../fields/field-profile.js';
import { TraceFieldWriter } from '../fields/trace-field-writer.js';
import { contextOfRecord } from './capture-trace-context.js';
import { markingErrorSpans, resolveWinstonErrorLevels } from './winston-error-spans.js';

// The fallback for what JSON.stringify rejects (cycles, BigInt): safe-stable-stringify, the
// library logform's json() uses, with json()'s BigInt-as-string rule. Insertion order, like
// the fast path, so a line looks the same whichever path wrote it.
const safeStringify = configure({ deterministic: false });

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/**
 * Serialises a winston record to one JSON line. The plain `JSON.stringify` fast path covers
 * almost every record; a record it rejects goes through safe-stable-stringify (`"[Circular]"`,
 * BigInt as a string); a record even that cannot read (a throwing getter or `toJSON`) becomes
 * its level and message alone, reported through `diag`. Never throws.
 */
export function stringifyRecord(info: Record<string, unknown>): string {
  try {
    return JSON.stringify(info);
  } catch {
    try {
      return safeStringify(info, bigintAsString) ?? '{}';
    } catch (error) {
      reportProblem(
        'serialising a winston record',
        'only its level and message are written',
        error,
      );
      return JSON.stringify({ level: String(info.level), message: String(info.message) });
    }
  }
}

/** Options of {@link traceFormat}. */
export interface TraceFormatOptions extends TraceFieldOptions {
  /**
   * Error records mark their span (with a tracing SDK; a no-op in lightweight mode): a record
   * at an error level — `error`, `crit`, `alert`, `emerg`, `fatal` (`true`), or the level
   * names given — records its error as an `exception` event on the span of its log call and
   * sets the span's status to ERROR.
   * @default false
   */
  readonly markSpanOnError?: boolean | readonly string[];
}

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
  const errorLevels = resolveWinstonErrorLevels(options?.markSpanOnError);
  if (errorLevels !== undefined) {
    return markingErrorSpans(traceFormat({ ...options, markSpanOnError: false }), errorLevels);
  }
  const writer = new TraceFieldWriter(options, WINSTON_OWN_KEYS, ['markSpanOnError']);
  return {
    options,
    transform(info: TransformableInfo) {
      writer.writeTo(info, contextOfRecord(info));
      return info;
    },
  };
}

// What every winston record has: a baggage field must not replace them.
const WINSTON_OWN_KEYS = ['level', 'message'];

// triple-beam's MESSAGE: the finished line that winston transports write.
const MESSAGE = Symbol.for('message');
const CLOSING_BRACE = 0x7d;

/** Options of {@link traceJson}: those of {@link traceFormat}. */
export type TraceJsonOptions = TraceFormatOptions;

/**
 * A terminal format: `format.json()` and the trace fields in one step, and faster than plain
 * `format.json()` without them (`npm run bench -- correlation`). Keys are written in
 * insertion order — `json()` sorts them on every line, which is most of its cost — and the
 * trace fields, serialised once per span, are appended to the line. Records `JSON.stringify`
 * rejects (cycles, BigInt) are written as `json()` would write them. Never throws.
 *
 * @throws {InvalidOptionError} when an option is invalid.
 * @example
 * ```ts
 * const logger = captureTraceContext(winston.createLogger({ format: traceJson() }));
 * logger.info('hi'); // {"level":"info","message":"hi","trace_id":"…","span_id":"…","trace_flags":"01"}
 * ```
 */
export function traceJson(options: TraceJsonOptions = {}): Format {
  const errorLevels = resolveWinstonErrorLevels(options?.markSpanOnError);
  if (errorLevels !== undefined) {
    return markingErrorSpans(traceJson({ ...options, markSpanOnError: false }), errorLevels);
  }
  const writer = new TraceFieldWriter(options, WINSTON_OWN_KEYS, ['markSpanOnError']);
  return {
    options,
    transform(info: TransformableInfo) {
      const record = info as Record<string | symbol, unknown>;
      const ctx = contextOfRecord(info);
      const members = writer.jsonMembersFor(ctx);
      if (members === '') {
        record[MESSAGE] = stringifyRecord(info);
      } else if (writer.hasOwnFieldIn(info, ctx)) {
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
