import { SeverityNumber } from '@opentelemetry/api-logs';
import type { MappedLogRecord } from './mapped-log-record.js';
import { UNREADABLE } from './placeholders.js';

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
