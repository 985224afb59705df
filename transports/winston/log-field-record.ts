import type { AnyValueMap } from '@opentelemetry/api-logs';
import { capturedContextOf } from '../../src/core/captured-context.js';
import { membersOf } from '../../src/fields/log-field-writer.js';
import { scopeOf } from '../../src/fields/log-fields.js';
import type { LogFieldScope } from '../../src/fields/log-fields.js';
import type { MappedLogRecord } from '../mapping/mapped-log-record.js';

// The transport writes no field of its own: a record's own fields (a format's included) win.
const CLOSING_BRACE = 0x7d;

/**
 * The JSON of a plain winston record (`JSON.stringify(info)`) with the log fields of the
 * context captured at its log call (`withLogFields`) that the record does not have itself,
 * appended. Without a scope, `json` itself. Never throws.
 *
 * @example
 * ```ts
 * const line = withLogFieldMembers(JSON.stringify(info), info);
 * ```
 */
export function withLogFieldMembers(json: string, info: object): string {
  const scope = scopeOfRecord(info);
  if (scope === undefined || json.charCodeAt(json.length - 1) !== CLOSING_BRACE) return json;
  const members = membersOf(scope);
  let appended = '';
  for (let i = 0; i < members.length; i++) {
    if (hasOwn(info, scope.keys[i])) continue;
    appended = appended === '' ? members[i] : `${appended},${members[i]}`;
  }
  if (appended === '') return json;
  return json.length === 2 ? `{${appended}}` : `${json.slice(0, -1)},${appended}}`;
}

/**
 * A record mapped on the logging thread, with the log fields of the context captured at its
 * log call that neither the record nor its attributes hold, as attributes. Never throws.
 *
 * @example
 * ```ts
 * const record = withLogFieldAttributes(mapWinstonRecord(info, mapping, now), info);
 * ```
 */
export function withLogFieldAttributes(record: MappedLogRecord, info: object): MappedLogRecord {
  try {
    const scope = scopeOfRecord(info);
    if (scope === undefined) return record;
    const attributes = record.attributes as Record<string, AnyValueMap[string]>;
    for (let i = 0; i < scope.keys.length; i++) {
      const key = scope.keys[i];
      if (!hasOwn(info, key) && !hasOwn(attributes, key)) attributes[key] = scope.values[i];
    }
  } catch {
    // A record whose own fields cannot be read (a Proxy): the mapping reported it already.
  }
  return record;
}

function scopeOfRecord(info: object): LogFieldScope | undefined {
  const captured = capturedContextOf(info);
  return captured === undefined ? undefined : scopeOf(captured);
}

function hasOwn(target: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(target, key);
}
