import { SeverityNumber } from '@opentelemetry/api-logs';
import type { MappedLogRecord } from './mapped-log-record.js';
import { UNREADABLE } from './placeholders.js';
import { reportProblem } from '../report-problem.js';

/**
 * The record emitted when a record could not be mapped at all (not an object, or a failure
 * no field-level guard caught): body `"[Unreadable]"`, UNSPECIFIED severity, stamped `now`.
 * The log line is kept as an event rather than dropped without a trace.
 *
 * @example
 * ```ts
 * unreadableRecord(Date.now()).body; // '[Unreadable]'
 * ```
 */
export function unreadableRecord(now: number): MappedLogRecord {
  return {
    timestamp: now,
    observedTimestamp: now,
    severityNumber: SeverityNumber.UNSPECIFIED,
    severityText: '',
    body: UNREADABLE,
    attributes: {},
    resource: {},
  };
}

/**
 * Runs a mapper on a record with the outcome defined for anything it cannot read: a record
 * that is not an object, or one the mapper throws on, becomes {@link unreadableRecord},
 * reported through `diag` as `where`.
 */
export function mapOrUnreadable<T extends object, M>(
  where: string,
  record: unknown,
  mapping: M,
  now: number,
  map: (record: T, mapping: M, now: number) => MappedLogRecord,
): MappedLogRecord {
  if (typeof record !== 'object' || record === null) {
    reportProblem(where, 'it is not an object: emitted with body "[Unreadable]"');
    return unreadableRecord(now);
  }
  try {
    return map(record as T, mapping, now);
  } catch (error) {
    reportProblem(where, 'it is emitted with body "[Unreadable]"', error);
    return unreadableRecord(now);
  }
}
