import { reportProblem } from '../report-problem.js';

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
