import type { Exception } from '@opentelemetry/api';
import type { Format, TransformableInfo } from 'logform';
import { InvalidOptionError } from '../core/invalid-option-error.js';
import { isLiveError, markErrorSpan } from '../core/error-span.js';
import { contextOfRecord } from './capture-trace-context.js';

/**
 * The level names `markSpanOnError: true` marks spans for: the error levels of winston's
 * `npm` (`error`) and `syslog` (`error`, `crit`, `alert`, `emerg`) sets, and `fatal`.
 */
const ERROR_LEVELS: readonly string[] = ['error', 'crit', 'alert', 'emerg', 'fatal'];
// triple-beam's LEVEL: the level name without colours.
const LEVEL = Symbol.for('level');

/**
 * The level names whose records mark their span, from the `markSpanOnError` option, or
 * `undefined` when it is off.
 *
 * @throws {InvalidOptionError} when the option is neither a boolean nor an array of level names.
 */
export function resolveWinstonErrorLevels(value: unknown): ReadonlySet<string> | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return new Set(ERROR_LEVELS);
  if (Array.isArray(value) && value.every((name) => typeof name === 'string' && name !== '')) {
    return new Set(value as string[]);
  }
  throw new InvalidOptionError(
    'markSpanOnError',
    'a boolean or an array of the level names that mark the span',
    value,
  );
}

/**
 * `format`, first marking the span of the log call (captured by `captureTraceContext`, else the
 * active one) for every record whose level is one of `levels`: the record's error becomes an
 * `exception` event, and the span's status ERROR. Never throws.
 *
 * @example
 * ```ts
 * const format = markingErrorSpans(traceFormat(), new Set(['error']));
 * ```
 */
export function markingErrorSpans(format: Format, levels: ReadonlySet<string>): Format {
  return {
    options: format.options,
    transform(info: TransformableInfo, options?: unknown) {
      if (levels.has(levelOf(info))) markErrorSpan(contextOfRecord(info), errorOf(info));
      return format.transform(info, options);
    },
  };
}

function levelOf(info: TransformableInfo): string {
  try {
    const level = (info as { [LEVEL]?: unknown })[LEVEL] ?? info.level;
    return typeof level === 'string' ? level : '';
  } catch {
    return '';
  }
}

/**
 * The error of a winston record, in winston's shapes: the record itself (`logger.error(err)`),
 * a field holding an `Error` (`logger.error('failed', { error })`), or the `message` and
 * `stack` that `format.errors({ stack: true })` and `logger.error('failed', err)` copy onto it.
 */
function errorOf(info: TransformableInfo): Exception | undefined {
  try {
    if (isLiveError(info)) return info;
    for (const key of Object.keys(info)) {
      const value = (info as Record<string, unknown>)[key];
      if (isLiveError(value)) return value;
    }
    const { stack, message } = info as { stack?: unknown; message?: unknown };
    if (typeof stack !== 'string') return undefined;
    // `TypeError: boom\n    at …`: the name is what precedes the first colon of the first line.
    const colon = stack.indexOf(':');
    const newline = stack.indexOf('\n');
    const name = colon > 0 && (newline === -1 || colon < newline) ? stack.slice(0, colon) : 'Error';
    return { name, message: typeof message === 'string' ? message : undefined, stack };
  } catch {
    return undefined;
  }
}
