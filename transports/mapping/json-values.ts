import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { reportProblem } from '../../src/core/report-problem.js';
import { setEntry, toAnyValue } from './values.js';
import type { ValueLimits } from './values.js';
import { limitString, TRUNCATED_DEPTH } from './safe-values.js';

/**
 * Converts a value that `JSON.parse` returned, with the outcome `toAnyValue` gives it, on a
 * shorter path: such a value is a string, a finite or infinite (`1e400`) number, a boolean,
 * `null`, an array or an object whose own keys are all enumerable data properties with
 * `Object.prototype` above them. No cycle, getter, Proxy, Date, Buffer or `toJSON` can occur,
 * so none is looked for, and no field needs an own-property check or a try/catch. Anything
 * else that slips in (the caller's contract broken) is handed to `toAnyValue` as it is.
 *
 * Why: for a record parsed from a pino line these checks were most of the attribute
 * conversion (`npm run bench -- worker`; see mapPinoJson in pino.ts for the figures).
 *
 * @example
 * ```ts
 * convertJsonValue(JSON.parse('{"a":[1,"x"]}'), 1, { maxStringLength: 1024, maxDepth: 32 });
 * // { a: [1, 'x'] }
 * ```
 */
export function convertJsonValue(value: unknown, depth: number, limits: ValueLimits): AnyValue {
  switch (typeof value) {
    case 'string':
      return limitString(value, limits.maxStringLength);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'object':
      if (value === null) return null;
      if (depth > limits.maxDepth) {
        // The words of ValueConverter's report, so both paths report alike.
        reportProblem('mapping a deeply nested value', `it is mapped as "${TRUNCATED_DEPTH}"`);
        return TRUNCATED_DEPTH;
      }
      if (Array.isArray(value)) return convertJsonList(value, depth, limits);
      return convertJsonFields(value, depth, limits, undefined);
    default:
      return toAnyValue(value, limits, depth);
  }
}

/**
 * The fields of a JSON object (a record, or an error kept under a key) as a fresh map, but
 * those named in `skip`; its fields are at `depth + 1`. `ValueConverter.convertRecord`'s
 * outcome for such an object.
 *
 * @example
 * ```ts
 * convertJsonFields({ type: 'Error', code: 'E1' }, 1, limits, ['type']); // { code: 'E1' }
 * ```
 */
export function convertJsonFields(
  source: object,
  depth: number,
  limits: ValueLimits,
  skip: readonly string[] | undefined,
): AnyValueMap {
  const out: AnyValueMap = {};
  const keys = Object.keys(source);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (skip?.includes(key) === true) continue;
    const value = convertJsonValue((source as Record<string, unknown>)[key], depth + 1, limits);
    if (value !== undefined) setEntry(out, limitString(key, limits.maxStringLength), value);
  }
  return out;
}

function convertJsonList(list: readonly unknown[], depth: number, limits: ValueLimits): AnyValue[] {
  const out: AnyValue[] = [];
  for (let i = 0; i < list.length; i++) {
    const value = convertJsonValue(list[i], depth + 1, limits);
    out.push(value === undefined ? null : value);
  }
  return out;
}
