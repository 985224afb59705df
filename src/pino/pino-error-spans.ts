import { context } from '@opentelemetry/api';
import { InvalidOptionError } from '../core/invalid-option-error.js';
import { isLiveError, markErrorSpan } from '../core/error-span.js';
import type { PinoMixinFn } from './pino-mixin.js';

/** pino's `error` level: the lowest level `markSpanOnError: true` marks spans for. */
const PINO_ERROR = 50;

/**
 * The lowest pino level value whose lines mark their span, from the `markSpanOnError`
 * option, or `undefined` when it is off.
 *
 * @throws {InvalidOptionError} when the option is neither a boolean nor a positive finite number.
 */
export function resolvePinoErrorLevel(value: unknown): number | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return PINO_ERROR;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  throw new InvalidOptionError(
    'markSpanOnError',
    'a boolean or the lowest pino level value that marks the span (e.g. 50)',
    value,
  );
}

/**
 * `mixin`, first marking the active span for every line at `minLevel` or above: the error the
 * line logged (the first own field holding an `Error`, pino's `err` for `logger.error(err)`)
 * becomes an `exception` event, and the span's status ERROR. Never throws.
 *
 * @example
 * ```ts
 * const mixin = markingErrorSpans(pinoMixin(), 50);
 * ```
 */
export function markingErrorSpans<CustomLevels extends string>(
  mixin: PinoMixinFn<CustomLevels>,
  minLevel: number,
): PinoMixinFn<CustomLevels> {
  return (mergeObject, level, logger) => {
    if (level >= minLevel) markErrorSpan(context.active(), errorOf(mergeObject));
    return mixin(mergeObject, level, logger);
  };
}

function errorOf(mergeObject: object): Error | undefined {
  try {
    for (const key of Object.keys(mergeObject)) {
      const value = (mergeObject as Record<string, unknown>)[key];
      if (isLiveError(value)) return value;
    }
  } catch {
    // A field that cannot be read: the span is still marked, without an exception event.
  }
  return undefined;
}
