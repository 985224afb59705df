import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';

/**
 * Sets `map[key] = value` without ever touching a prototype: a key `__proto__` becomes an
 * ordinary own property (assignment would call `Object.prototype`'s setter and replace the
 * map's prototype instead). Plain objects, not `Object.create(null)`, so code downstream
 * that calls `map.hasOwnProperty(…)` keeps working.
 *
 * @example
 * ```ts
 * const map: AnyValueMap = {};
 * setEntry(map, '__proto__', 'x');
 * Object.keys(map); // ['__proto__']
 * ```
 */
export function setEntry(map: AnyValueMap, key: string, value: AnyValue): void {
  if (key === '__proto__') {
    Object.defineProperty(map, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    map[key] = value;
  }
}

/**
 * Whether a mapped value is a map (not an array, not bytes, not a scalar).
 *
 * @example
 * ```ts
 * isAnyValueMap({ a: 1 }); // true
 * isAnyValueMap([1]); // false
 * ```
 */
export function isAnyValueMap(value: AnyValue): value is AnyValueMap {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  );
}
