import type { SpanContext } from '@opentelemetry/api';
import type { AnyValue, AnyValueMap, SeverityNumber } from '@opentelemetry/api-logs';

/**
 * One pino or winston record mapped to the OpenTelemetry logs data model, ready for
 * `Logger.emit()` of `@opentelemetry/sdk-logs`. Pure data: no I/O, no SDK objects.
 */
export interface MappedLogRecord {
  /** When the event happened, in epoch milliseconds (may be fractional). */
  readonly timestamp: number;
  /** When tracelink saw the record, in epoch milliseconds. */
  readonly observedTimestamp: number;
  readonly severityNumber: SeverityNumber;
  /** The level's own name, e.g. `info`, `audit`. */
  readonly severityText: string;
  /** The message (a string), or structured when the record's message was structured. */
  readonly body: AnyValue;
  /** Every remaining field, with the trace fields taken out when they became `spanContext`. */
  readonly attributes: AnyValueMap;
  /** The trace context found in the record (captured context or trace fields), when valid. */
  readonly spanContext?: SpanContext;
  /**
   * Fields that describe the process rather than the event (pino's `hostname` and `pid`),
   * named by the resource semantic conventions: `host.name`, `process.pid`.
   */
  readonly resource: AnyValueMap;
}
