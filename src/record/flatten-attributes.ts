import type { AnyValueMap } from '@opentelemetry/api-logs';
import { isAnyValueMap, setEntry } from './any-value-map.js';

/**
 * Flattens nested maps into dotted keys: `{ a: { b: { c: 1 } } }` → `{ 'a.b.c': 1 }`.
 * Arrays (and the maps inside them) stay as they are; an empty map stays an empty map under
 * its key, so no field disappears. When two paths meet (`{ 'a.b': 1, a: { b: 2 } }`) the
 * later one wins, in the record's field order.
 *
 * @example
 * ```ts
 * flattenAttributes({ http: { method: 'GET', status: 200 } });
 * // { 'http.method': 'GET', 'http.status': 200 }
 * ```
 */
export function flattenAttributes(attributes: AnyValueMap): AnyValueMap {
  const flat: AnyValueMap = {};
  flattenInto(flat, attributes, '');
  return flat;
}

// Recursion is bounded: the maps were already cut at maxDepth.
function flattenInto(flat: AnyValueMap, map: AnyValueMap, prefix: string): void {
  for (const key of Object.keys(map)) {
    const value = map[key];
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isAnyValueMap(value) && Object.keys(value).length > 0) {
      flattenInto(flat, value, path);
    } else {
      setEntry(flat, path, value);
    }
  }
}
