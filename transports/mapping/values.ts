import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { reportProblem } from '../../src/core/report-problem.js';
import { errorTypeOf } from './errors.js';
import { isLiveError } from '../../src/core/error-span.js';
import {
  limitString,
  CIRCULAR,
  TRUNCATED_DEPTH,
  UNREADABLE,
  UNREADABLE_FIELD,
  readOwn,
} from './safe-values.js';

/**
 * How much of a value is kept; resolved from `maxStringLength` and `maxDepth`.
 *
 * @example
 * ```ts
 * const limits: ValueLimits = { maxStringLength: 1_048_576, maxDepth: 32 };
 * ```
 */
export interface ValueLimits {
  /** Strings (in UTF-16 code units) and byte arrays longer than this are cut. */
  readonly maxStringLength: number;
  /** Objects and arrays nested deeper than this become `"[Truncated: depth]"`. */
  readonly maxDepth: number;
}

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

/**
 * A plain `Uint8Array` copy of at most `maxLength` bytes of `view` (a `Buffer` is copied
 * too: pooled Buffer memory is reused once the log call returns). Cutting is reported.
 *
 * @example
 * ```ts
 * copyBytes(Buffer.from('hello'), 3); // Uint8Array [104, 101, 108]
 * ```
 */
export function copyBytes(view: Uint8Array, maxLength: number): Uint8Array {
  const length = Math.min(view.length, maxLength);
  if (length < view.length) {
    reportProblem(
      'mapping a long byte array',
      `${view.length} bytes were cut to maxStringLength (${maxLength})`,
    );
  }
  const copy = new Uint8Array(length);
  copy.set(length === view.length ? view : view.subarray(0, length));
  return copy;
}

/**
 * The bytes of a binary value — `Uint8Array` (and `Buffer`), `ArrayBuffer`, `DataView` — as
 * a plain `Uint8Array` copy cut at `maxLength`; `undefined` for anything else (other typed
 * arrays are numbers, not bytes, to their users).
 *
 * @example
 * ```ts
 * bytesOf(new Uint8Array([1, 2]).buffer, 1024); // Uint8Array [1, 2]
 * ```
 */
export function bytesOf(value: object, maxLength: number): Uint8Array | undefined {
  if (value instanceof Uint8Array) return copyBytes(value, maxLength);
  if (value instanceof ArrayBuffer) return copyBytes(new Uint8Array(value), maxLength);
  if (value instanceof DataView) {
    return copyBytes(new Uint8Array(value.buffer, value.byteOffset, value.byteLength), maxLength);
  }
  return undefined;
}

/**
 * The `toJSON` method of `value`, or `undefined`. Never throws: a Proxy whose every read
 * throws has no readable toJSON, so its fields are read one by one (each unreadable one
 * becoming "[Unreadable]") instead of the whole value being lost.
 *
 * @example
 * ```ts
 * toJSONOf(new Date(0))?.call(new Date(0)); // '1970-01-01T00:00:00.000Z'
 * ```
 */
export function toJSONOf(value: object): ((this: unknown) => unknown) | undefined {
  try {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    return typeof toJSON === 'function' ? (toJSON as (this: unknown) => unknown) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether what a `toJSON()` returned has a `toJSON` of its own (a Date excepted: it is
 * converted as a Date). Such a result is taken field by field, so chains cannot loop.
 *
 * @example
 * ```ts
 * hasToJSON({ toJSON: () => 1 }); // true
 * ```
 */
export function hasToJSON(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Date) &&
    toJSONOf(value) !== undefined
  );
}

/**
 * The converter behind `toAnyValue`, with its state (the enclosing objects, for `[Circular]`)
 * kept for one record. One per record: not shared between concurrent mappings.
 *
 * @example
 * ```ts
 * const converter = new ValueConverter({ maxStringLength: 1024, maxDepth: 32 });
 * converter.convertRecord(line, (key) => key === 'msg'); // every field but msg
 * ```
 */
export class ValueConverter {
  // A stack, not a Set: ancestors nest (each is removed before its parent), the chain is at
  // most maxDepth long and usually 1–3, and a Set cost an allocation and two hash operations
  // per record and per nested object (`npm run bench -- worker`).
  private readonly ancestors: object[] = [];

  constructor(private readonly limits: ValueLimits) {}

  /** Converts one value at nesting level `depth`; see `toAnyValue` for every outcome. */
  convert(value: unknown, depth: number): AnyValue {
    switch (typeof value) {
      case 'string':
        return limitString(value, this.limits.maxStringLength);
      case 'number':
        return Number.isFinite(value) ? value : String(value);
      case 'boolean':
        return value;
      case 'bigint':
        return value.toString(10);
      case 'symbol':
        // readOwn's marker for a field whose getter threw.
        if (value === UNREADABLE_FIELD) return UNREADABLE;
        return limitString(value.toString(), this.limits.maxStringLength);
      case 'undefined':
      case 'function':
        return undefined;
      default:
        return value === null ? null : this.convertObject(value as object, depth);
    }
  }

  /**
   * Converts the fields of a record (or of an error kept under a key) into a fresh map, but
   * those `skip` names. The record counts as enclosing its fields: a field that refers back
   * to it is `"[Circular]"`. Its fields are at `depth + 1`. A record whose keys cannot be
   * listed (a hostile Proxy) gives an empty map, reported.
   */
  convertRecord(record: object, skip: (key: string) => boolean, depth = 0): AnyValueMap {
    this.ancestors.push(record);
    try {
      return this.convertFields(record, depth, {}, skip);
    } catch (error) {
      reportProblem('listing the fields of a log record', 'they are not mapped', error);
      return {};
    } finally {
      this.ancestors.pop();
    }
  }

  /** A key fit for a map: well formed, length-limited. */
  key(key: string): string {
    return limitString(key, this.limits.maxStringLength);
  }

  private convertFields(
    source: object,
    depth: number,
    out: AnyValueMap = {},
    skip?: (key: string) => boolean,
  ): AnyValueMap {
    for (const key of Object.keys(source)) {
      if (skip?.(key) === true) continue;
      const value = this.convert(readOwn(source, key), depth + 1);
      if (value !== undefined) setEntry(out, this.key(key), value);
    }
    return out;
  }

  private convertObject(value: object, depth: number): AnyValue {
    if (this.ancestors.includes(value)) {
      reportProblem('mapping a circular value', `the reference is mapped as "${CIRCULAR}"`);
      return CIRCULAR;
    }
    if (depth > this.limits.maxDepth) {
      reportProblem('mapping a deeply nested value', `it is mapped as "${TRUNCATED_DEPTH}"`);
      return TRUNCATED_DEPTH;
    }
    this.ancestors.push(value);
    try {
      return this.convertKind(value, depth);
    } catch (error) {
      reportProblem('reading a log field', `the value is mapped as "${UNREADABLE}"`, error);
      return UNREADABLE;
    } finally {
      this.ancestors.pop();
    }
  }

  private convertKind(value: object, depth: number): AnyValue {
    if (Array.isArray(value)) return this.convertList(value, depth);
    const bytes = bytesOf(value, this.limits.maxStringLength);
    if (bytes !== undefined) return bytes;
    if (value instanceof Date) {
      return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    }
    if (value instanceof Map) return this.convertMap(value, depth);
    if (value instanceof Set) return this.convertList([...(value as Set<unknown>)], depth);
    if (ArrayBuffer.isView(value)) {
      // Float64Array and the like: their numbers, not their memory.
      return this.convertList(Array.from(value as unknown as ArrayLike<unknown>), depth);
    }
    if (isLiveError(value)) return this.convertError(value, depth);
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return this.convert(value.valueOf(), depth);
    }
    const toJSON = toJSONOf(value);
    if (toJSON !== undefined) return this.convertJson(toJSON.call(value), value, depth);
    return this.convertFields(value, depth);
  }

  // What JSON.stringify would write, so a winston `json()` line and the record agree.
  private convertJson(json: unknown, source: object, depth: number): AnyValue {
    // toJSON() is asked once: a result that has its own toJSON (or is `this`) is taken field
    // by field, so a chain of toJSON calls cannot loop.
    if (json === source || hasToJSON(json)) return this.convertFields(json as object, depth);
    return this.convert(json, depth);
  }

  private convertList(list: readonly unknown[], depth: number): AnyValue[] {
    const out: AnyValue[] = [];
    for (let i = 0; i < list.length; i++) {
      const value = this.convert(readOwn(list, i), depth + 1);
      out.push(value === undefined ? null : value);
    }
    return out;
  }

  private convertMap(map: Map<unknown, unknown>, depth: number): AnyValueMap {
    const out: AnyValueMap = {};
    for (const [key, item] of map) {
      const value = this.convert(item, depth + 1);
      const name = typeof key === 'symbol' ? key.toString() : String(key);
      if (value !== undefined) setEntry(out, this.key(name), value);
    }
    return out;
  }

  // The shape pino-std-serializers gives an error, so both transports' records look alike.
  private convertError(error: Error, depth: number): AnyValueMap {
    const out: AnyValueMap = {};
    const type = errorTypeOf(error);
    if (type !== undefined) out.type = this.key(type);
    // message, stack and cause are own but not enumerable: convertFields does not see them.
    for (const key of ['message', 'stack', 'cause'] as const) {
      const value = this.convert(readOwn(error, key), depth + 1);
      if (value !== undefined) out[key] = value;
    }
    // As pino-std-serializers does: an own `type` or `message` field does not replace these.
    return this.convertFields(error, depth, out, (key) => Object.hasOwn(out, key));
  }
}

/**
 * Converts any JavaScript value to an OpenTelemetry `AnyValue`, never throwing. The outcome
 * for every value that `AnyValue` (or OTLP) cannot carry as it is:
 *
 * | input | outcome |
 * |---|---|
 * | `undefined`, function | dropped from maps; `null` in arrays, keeping positions as JSON does |
 * | `NaN`, `Infinity`, `-Infinity` | the strings `"NaN"`, `"Infinity"`, `"-Infinity"` (OTLP JSON has no such numbers) |
 * | BigInt | its decimal string |
 * | Symbol | its `toString()`, e.g. `"Symbol(x)"` |
 * | `Uint8Array`, `Buffer`, `ArrayBuffer`, `DataView` | a copy of the bytes (cut at `maxStringLength` bytes) |
 * | other typed arrays | an array of their numbers |
 * | `Date` | ISO string; an invalid date is `"Invalid Date"` |
 * | `Map` | a map keyed by `String(key)`; `Set` | an array |
 * | `Error` | a map `{ type, message, stack, …own props }` |
 * | object with `toJSON()` | what `toJSON()` returns, converted |
 * | reference to an enclosing object | `"[Circular]"` (a shared, non-circular reference is copied) |
 * | nesting deeper than `maxDepth` | `"[Truncated: depth]"` |
 * | string longer than `maxStringLength` | cut, suffixed `…[truncated N chars]` |
 * | lone UTF-16 surrogate (values and keys) | U+FFFD |
 * | `__proto__`, `constructor` keys | ordinary keys; no prototype is touched |
 * | getter or Proxy trap that throws | `"[Unreadable]"` for that field (the whole value if its keys cannot be listed) |
 *
 * `depth` is the nesting level of `value` itself: an attribute's value is at depth 1.
 *
 * @example
 * ```ts
 * toAnyValue({ n: 10n, at: new Date(0) }, { maxStringLength: 1024, maxDepth: 32 });
 * // { n: '10', at: '1970-01-01T00:00:00.000Z' }
 * ```
 */
export function toAnyValue(value: unknown, limits: ValueLimits, depth = 1): AnyValue {
  return new ValueConverter(limits).convert(value, depth);
}

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

/**
 * Takes ECS's nested `trace.id` and `span.id` out of mapped attributes once they became the
 * record's span context; a `trace` or `span` map left empty goes too, other fields in them
 * (`trace.origin`) stay.
 *
 * @example
 * ```ts
 * const attributes = { trace: { id: '4bf9…' }, span: { id: '00f0…', kind: 'db' } };
 * removeNestedIds(attributes); // attributes is now { span: { kind: 'db' } }
 * ```
 */
export function removeNestedIds(attributes: AnyValueMap): void {
  for (const key of ['trace', 'span']) {
    const map = attributes[key];
    if (!isAnyValueMap(map)) continue;
    delete map.id;
    if (Object.keys(map).length === 0) delete attributes[key];
  }
}
