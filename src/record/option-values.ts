import { InvalidOptionError } from '../options-error.js';

/**
 * Validates an optional integer option within `[min, max]`, falling back to `fallback`.
 *
 * @throws {InvalidOptionError} when the value is not such an integer.
 * @example
 * ```ts
 * resolveInteger('maxDepth', undefined, 32, 1, 1000); // 32
 * ```
 */
export function resolveInteger(
  option: string,
  value: unknown,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) {
    return value;
  }
  throw new InvalidOptionError(option, `an integer from ${min} to ${max}`, value);
}

/**
 * Whether `value` is a non-null, non-array object (an options record).
 *
 * @example
 * ```ts
 * isRecord({}); // true
 * isRecord([]); // false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
