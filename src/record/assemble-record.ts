import type { SpanContext } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { AnyValueMap } from '@opentelemetry/api-logs';
import { flattenAttributes } from './flatten-attributes.js';
import type { LevelSeverity } from './level-severity.js';
import { limitString } from './limit-string.js';
import type { MappedLogRecord } from './mapped-log-record.js';
import type { ResolvedCommonMapping } from './mapping-options.js';
import type { ValueConverter } from './value-converter.js';

/** What a pino or winston mapper read from its record, before the shared rules apply. */
export interface RecordParts {
  readonly timestamp: number | undefined;
  readonly severity: LevelSeverity | undefined;
  /** The record's message field, raw. */
  readonly message: unknown;
  /** The message of the record's error, for a record without a message of its own. */
  readonly errorMessage: string | undefined;
  readonly attributes: AnyValueMap;
  readonly spanContext: SpanContext | undefined;
  readonly resource: AnyValueMap;
}

/**
 * The rules both mappers share: the body is the message, or the error's message when there is
 * none; missing time is `now`; an unknown level is UNSPECIFIED; `flattenAttributes` applies.
 */
export function assembleRecord(
  parts: RecordParts,
  mapping: ResolvedCommonMapping,
  converter: ValueConverter,
  now: number,
): MappedLogRecord {
  const { message, errorMessage, severity, attributes, spanContext } = parts;
  return {
    timestamp: parts.timestamp ?? now,
    observedTimestamp: now,
    severityNumber: severity?.severityNumber ?? SeverityNumber.UNSPECIFIED,
    severityText: severity?.severityText ?? '',
    body:
      message === undefined && errorMessage !== undefined
        ? limitString(errorMessage, mapping.limits.maxStringLength)
        : converter.convert(message, 1),
    attributes: mapping.flattenAttributes ? flattenAttributes(attributes) : attributes,
    ...(spanContext === undefined ? {} : { spanContext }),
    resource: parts.resource,
  };
}
