import type { ValueLimits } from '../mapping/values.js';

const OBJECT_PROTOTYPE = Object.prototype;
const ARRAY_PROTOTYPE = Array.prototype;

/**
 * Whether a winston `info` holds plain data only, so that `JSON.parse(JSON.stringify(info))`
 * keeps every field the mapping reads, as it is: `info` and every object in it are plain
 * (`Object.prototype` or `null` above them) or arrays, and every value is a boolean, `null`,
 * `undefined`, a function (dropped by both), a finite number (`-0` included: it goes to OTLP
 * as the integer 0 either way) or a string of at most `maxStringLength`, nested at most
 * `maxDepth` deep. Anything else — an `Error`, `Date`, `Buffer`, `Map`, `Set`, BigInt,
 * symbol, `NaN`, `Infinity`, a class instance, a `toJSON` method, a longer string, deeper
 * nesting (a cycle among them) — or a getter or Proxy that throws while it is read, gives
 * `false`: such a record is mapped on the logging thread as before. Symbol keys are not fields (winston's level, message and splat; the captured
 * context) and are not looked at. Never throws.
 *
 * A getter runs here and again in `JSON.stringify`. The check is one pass over the values,
 * without allocating: measured against `JSON.stringify` of the same winston `info`, a fifth
 * to a quarter of its time (the benchmark's `{ n }` record, and one of ten nested fields).
 *
 * @example
 * ```ts
 * const limits = { maxStringLength: 1_048_576, maxDepth: 32 };
 * isPlainRecord({ level: 'info', message: 'hi', user: { id: 7 } }, limits); // true
 * isPlainRecord({ level: 'error', message: 'failed', err: new Error('boom') }, limits); // false
 * ```
 */
export function isPlainRecord(info: object, limits: ValueLimits): boolean {
  try {
    const prototype: unknown = Object.getPrototypeOf(info);
    if (prototype !== OBJECT_PROTOTYPE && prototype !== null) return false;
    return plainFields(info as Record<string, unknown>, 0, limits);
  } catch {
    return false;
  }
}

// `depth` is that of `fields` itself: the record is 0, an attribute's value 1.
function plainFields(fields: Record<string, unknown>, depth: number, limits: ValueLimits): boolean {
  // for…in, not Object.keys: no array per object. It lists inherited enumerable keys too,
  // which a plain object has only when Object.prototype was extended: checking them as well
  // only sends more records to the mapping on the logging thread.
  for (const key in fields) {
    const value = fields[key];
    // JSON.stringify calls a toJSON method; the mapping calls it differently (no key).
    if (typeof value === 'function' ? key === 'toJSON' : !plainValue(value, depth + 1, limits)) {
      return false;
    }
  }
  return true;
}

function plainValue(value: unknown, depth: number, limits: ValueLimits): boolean {
  switch (typeof value) {
    case 'string':
      // A longer one is cut where it is mapped: cut here, it does not cross whole.
      return value.length <= limits.maxStringLength;
    case 'boolean':
    case 'undefined':
    case 'function':
      return true;
    case 'number':
      // Finite: NaN and ±Infinity are strings in the mapping, null in JSON.
      return value - value === 0;
    case 'object': {
      if (value === null) return true;
      if (depth > limits.maxDepth) return false;
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype === ARRAY_PROTOTYPE) return plainList(value as unknown[], depth, limits);
      if (prototype === OBJECT_PROTOTYPE || prototype === null) {
        return plainFields(value as Record<string, unknown>, depth, limits);
      }
      return false;
    }
    default:
      return false; // bigint, symbol
  }
}

function plainList(list: readonly unknown[], depth: number, limits: ValueLimits): boolean {
  for (let i = 0; i < list.length; i++) {
    if (!plainValue(list[i], depth + 1, limits)) return false;
  }
  return true;
}
