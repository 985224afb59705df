import { reportProblem } from '../../src/core/report-problem.js';

/**
 * The strings that stand in for a value that cannot be carried as it is. Fixed strings, so a
 * backend query (`attributes.user = "[Circular]"`) finds every occurrence.
 *
 * @example
 * ```ts
 * if (record.attributes.self === CIRCULAR) console.log('the record referred to itself');
 * ```
 */
export const CIRCULAR = '[Circular]';

/**
 * Stands in for a field whose getter (or Proxy trap) threw while it was read.
 *
 * @example
 * ```ts
 * if (record.attributes.user === UNREADABLE) console.log('user could not be read');
 * ```
 */
export const UNREADABLE = '[Unreadable]';

/**
 * Stands in for an object or array nested deeper than `maxDepth`.
 *
 * @example
 * ```ts
 * if (record.attributes.deep === TRUNCATED_DEPTH) console.log('raise maxDepth');
 * ```
 */
export const TRUNCATED_DEPTH = '[Truncated: depth]';

/**
 * Returned by `readOwn` when reading threw; distinct from every value a field can hold.
 *
 * @example
 * ```ts
 * const value = readOwn(record, 'user');
 * if (value === UNREADABLE_FIELD) console.log('the getter threw');
 * ```
 */
export const UNREADABLE_FIELD: unique symbol = Symbol('tracelink.unreadable-field');

/**
 * Reads an own property of a record: `undefined` when it is absent or inherited (a record's
 * `constructor` or a polluted `Object.prototype` is never a field), {@link UNREADABLE_FIELD}
 * when a getter or Proxy trap throws. Never throws.
 *
 * @example
 * ```ts
 * readOwn({ msg: 'hi' }, 'msg'); // 'hi'
 * readOwn({}, 'constructor'); // undefined
 * ```
 */
export function readOwn(record: object, key: PropertyKey): unknown {
  try {
    return Object.hasOwn(record, key) ? (record as Record<PropertyKey, unknown>)[key] : undefined;
  } catch (error) {
    reportProblem('reading a log field', `the field is mapped as "[Unreadable]"`, error);
    return UNREADABLE_FIELD;
  }
}

// ES2024, in Node 20's V8 (11.3) but not in the ES2022 lib this package compiles against.
interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/**
 * Replaces lone UTF-16 surrogates with U+FFFD. A lone surrogate has no UTF-8 encoding: the
 * protobuf exporter would write invalid UTF-8 in a `string` field, and the collector rejects
 * the whole batch, not just the line. Returns `value` itself when it is already well formed.
 *
 * @example
 * ```ts
 * toWellFormed('a\uD800b'); // 'a\uFFFDb'
 * ```
 */
export function toWellFormed(value: string): string {
  const text = value as unknown as WellFormedString;
  return text.isWellFormed() ? value : text.toWellFormed();
}

/**
 * A string fit for an attribute: well formed, and at most `maxLength` UTF-16 code units of
 * the original followed by `…[truncated N chars]` (N = code units cut off) when it was
 * longer. The cut never splits a surrogate pair. Truncation is reported through `diag`.
 *
 * @example
 * ```ts
 * limitString('abcdef', 4); // 'abcd…[truncated 2 chars]'
 * ```
 */
export function limitString(value: string, maxLength: number): string {
  if (value.length <= maxLength) return toWellFormed(value);
  let cut = maxLength;
  const last = value.charCodeAt(cut - 1);
  // A high surrogate at the cut would be left alone: cut before it, keeping the pair whole.
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  const removed = value.length - cut;
  reportProblem(
    'mapping a long string',
    `a string of ${value.length} chars was cut to maxStringLength (${maxLength})`,
  );
  // Cut first, then check: a 5 MB string is scanned for surrogates only up to the cut.
  return `${toWellFormed(value.slice(0, cut))}…[truncated ${removed} chars]`;
}
