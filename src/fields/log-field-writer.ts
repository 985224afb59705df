import type { Context } from '@opentelemetry/api';
import { countLogField } from './log-field-stats.js';
import { scopeOf } from './log-fields.js';
import type { LogFieldScope } from './log-fields.js';

const hasOwn = (target: object, key: string): boolean =>
  Object.prototype.hasOwnProperty.call(target, key);

/**
 * Writes the log fields of a context (`withLogFields`) into records, for one logger: the
 * names its own options write (`owned`: the profile's trace fields, the request-id field,
 * allow-listed baggage keys) are left out, counted as `shadowed`. None of its methods throws.
 *
 * @example
 * ```ts
 * const logFields = new LogFieldWriter(['trace_id', 'span_id', 'trace_flags']);
 * const scope = logFields.scopeOf(ctx);
 * if (scope !== undefined) logFields.writeOver(fields, scope);
 * ```
 */
export class LogFieldWriter {
  private readonly owned: ReadonlySet<string>;

  constructor(owned: readonly string[]) {
    this.owned = new Set(owned);
  }

  /** The log field scope of `ctx`, or `undefined`. */
  scopeOf(ctx: Context): LogFieldScope | undefined {
    return scopeOf(ctx);
  }

  /** Writes the fields onto `target`, over its own; returns how many were written. */
  writeOver(target: Record<string, unknown>, scope: LogFieldScope): number {
    const { keys, values } = scope;
    if (this.owned.size === 0) {
      for (let i = 0; i < keys.length; i++) target[keys[i]] = values[i];
      return keys.length;
    }
    let written = 0;
    for (let i = 0; i < keys.length; i++) {
      if (this.isOwned(keys[i])) continue;
      target[keys[i]] = values[i];
      written++;
    }
    return written;
  }

  /** Writes the fields `target` does not have itself: a record's own fields win. */
  writeMissing(target: Record<string, unknown>, scope: LogFieldScope): void {
    const { keys, values } = scope;
    for (let i = 0; i < keys.length; i++) {
      if (!hasOwn(target, keys[i]) && !this.isOwned(keys[i])) target[keys[i]] = values[i];
    }
  }

  /** The fields as JSON object members without braces (`"tenant":"acme",…`), or `''`. */
  jsonMembers(scope: LogFieldScope): string {
    const members = membersOf(scope);
    if (this.owned.size === 0) return members.join(',');
    const kept: string[] = [];
    for (let i = 0; i < members.length; i++) {
      if (!this.isOwned(scope.keys[i])) kept.push(members[i]);
    }
    return kept.join(',');
  }

  /** Whether `target` has one of the scope's fields of its own. */
  hasOwnFieldIn(target: object, scope: LogFieldScope): boolean {
    for (const key of scope.keys) if (hasOwn(target, key)) return true;
    return false;
  }

  private isOwned(key: string): boolean {
    if (!this.owned.has(key)) return false;
    countLogField('shadowed');
    return true;
  }
}

/** `"name":value` of each field of `scope`, made once per scope. */
export function membersOf(scope: LogFieldScope): readonly string[] {
  if (scope.members === undefined) {
    scope.members = scope.keys.map(
      (key, i) => `${JSON.stringify(key)}:${JSON.stringify(scope.values[i])}`,
    );
  }
  return scope.members;
}
