import type { AnyValue } from '@opentelemetry/api-logs';
import { ValueConverter } from './value-converter.js';
import type { ValueLimits } from './value-limits.js';

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
