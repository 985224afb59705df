import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { reportProblem } from '../report-problem.js';
import { setEntry } from './any-value-map.js';
import { bytesOf } from './copy-bytes.js';
import { errorTypeOf, isLiveError } from './error-like.js';
import { limitString } from './limit-string.js';
import { CIRCULAR, TRUNCATED_DEPTH, UNREADABLE, UNREADABLE_FIELD } from './placeholders.js';
import { readOwn } from './read-own.js';
import { hasToJSON, toJSONOf } from './to-json-of.js';
import type { ValueLimits } from './value-limits.js';

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
  // per record and per nested object (bench/record-mapping.mjs).
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
