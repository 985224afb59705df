import { createContextKey } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { setEntry } from './values.js';

// sdk-logs 0.223 loses two keys a mapped record may hold, each time with the whole attribute:
// - `constructor` in a nested map: its `isLogAttributeValue` takes an object for a plain one
//   only when `obj.constructor` is `Object` (or undefined), and an own `constructor` key is
//   what that reads, so `{ user: { constructor: 'x', name: 'alice' } }` loses `user`,
//   dropped as invalid and counted nowhere;
// - `__proto__`, at any depth: `addAttribute` and `truncateToSize` copy maps by assignment,
//   which calls `Object.prototype`'s `__proto__` setter — the key vanishes, or its value
//   becomes the copy's prototype.
// Handed to sdk-logs with a prefix, the keys are ordinary ones to it: it validates, limits (its
// `logRecordLimits`: 128 attributes by default) and copies them as any other; the processor
// then takes the prefix off. A key that begins with the prefix gets one more, so taking one off
// gives back every key exactly. The prefix is U+0000: no key a log field has in practice.
const PREFIX = '\u0000';
const PREFIX_CODE = 0;

/** Set on the emit context of a record whose attributes went to sdk-logs with keys prefixed. */
const KEYS_PREFIXED = createContextKey('tracelink: attribute keys prefixed for sdk-logs');

function isUnsafeKey(key: string): boolean {
  return key === 'constructor' || key === '__proto__' || key.charCodeAt(0) === PREFIX_CODE;
}

/**
 * The attributes of a mapped record as they are handed to sdk-logs' `Logger.emit`: `attributes`
 * itself when no key in it (at any depth) is `constructor`, `__proto__` or begins with the
 * prefix — the common case, one pass and no copy — else a copy with those keys prefixed, and
 * `context` marked so that {@link restorePrefixedKeys} takes the prefixes off again.
 *
 * @example
 * ```ts
 * const [attributes, marked] = prefixUnsafeKeys({ user: { constructor: 'x' } }, ROOT_CONTEXT);
 * // attributes: { user: { '\u0000constructor': 'x' } }; marked carries the mark
 * ```
 */
export function prefixUnsafeKeys(
  attributes: AnyValueMap,
  context: Context,
): [AnyValueMap, Context] {
  const safe = prefixedMap(attributes);
  return safe === attributes ? [attributes, context] : [safe, context.setValue(KEYS_PREFIXED, 1)];
}

/**
 * Takes off, in place, the prefixes {@link prefixUnsafeKeys} gave the keys of a record's
 * attributes, when its emit `context` says it did; the keys keep their order. For the first
 * thing a `LogRecordProcessor`'s `onEmit` does, while the record may still be changed: every map
 * it changes is a copy (sdk-logs copies the maps it is handed; the prefixed ones were copies
 * already), never one of the mapped record's.
 *
 * @example
 * ```ts
 * const processor = { onEmit(record, context) { restorePrefixedKeys(record, context); … } };
 * ```
 */
export function restorePrefixedKeys(
  record: { readonly attributes: AnyValueMap },
  context: Context | undefined,
): void {
  if (context?.getValue(KEYS_PREFIXED) === undefined) return;
  restoreMap(record.attributes);
}

// The same value when nothing in it needs a prefix, else a copy (only of the maps and lists on
// the way to a changed key). A mapped value is a tree, bounded by maxDepth: no cycle to guard.
function prefixedValue(value: AnyValue): AnyValue {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return prefixedList(value);
  return prefixedMap(value);
}

function prefixedList(list: AnyValue[]): AnyValue[] {
  let out: AnyValue[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = prefixedValue(list[i]);
    if (item !== list[i]) {
      out ??= list.slice();
      out[i] = item;
    }
  }
  return out ?? list;
}

// Looked over with for…in, which allocates nothing (Object.keys would, per map and record):
// this runs on every record, the copy almost never.
function prefixedMap(map: AnyValueMap): AnyValueMap {
  for (const key in map) {
    if (!Object.prototype.hasOwnProperty.call(map, key)) continue;
    if (isUnsafeKey(key)) return prefixedCopy(map);
    const value = map[key];
    if (typeof value === 'object' && value !== null && prefixedValue(value) !== value) {
      return prefixedCopy(map);
    }
  }
  return map;
}

// No key written here is `__proto__` (that one is prefixed), so plain assignment makes own
// properties, in the same order.
function prefixedCopy(map: AnyValueMap): AnyValueMap {
  const out: AnyValueMap = {};
  for (const key of Object.keys(map)) out[prefixedKey(key)] = prefixedValue(map[key]);
  return out;
}

function prefixedKey(key: string): string {
  return isUnsafeKey(key) ? PREFIX + key : key;
}

function restoreValue(value: AnyValue): void {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return;
  if (Array.isArray(value)) {
    for (const item of value) restoreValue(item);
  } else {
    restoreMap(value);
  }
}

function restoreMap(map: AnyValueMap): void {
  const keys = Object.keys(map);
  let prefixed = false;
  for (const key of keys) {
    restoreValue(map[key]);
    if (key.charCodeAt(0) === PREFIX_CODE) prefixed = true;
  }
  if (!prefixed) return;
  // Every key is taken out and put back, so a restored key keeps its place among the others.
  const values = keys.map((key) => map[key]);
  for (const key of keys) delete map[key];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    setEntry(map, key.charCodeAt(0) === PREFIX_CODE ? key.slice(1) : key, values[i]);
  }
}
