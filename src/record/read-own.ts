import { reportProblem } from '../report-problem.js';
import { UNREADABLE_FIELD } from './placeholders.js';

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
