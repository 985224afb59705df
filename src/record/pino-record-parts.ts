import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { setEntry } from './any-value-map.js';
import { assembleRecord } from './assemble-record.js';
import type { ErrorView } from './error-view.js';
import { exceptionAttributes } from './exception-attributes.js';
import type { LevelSeverity } from './level-severity.js';
import type { MappedLogRecord } from './mapped-log-record.js';
import type { TraceFieldMatch } from './read-trace-fields.js';
import type { ResolvedPinoMapping } from './resolve-pino-mapping.js';
import type { ValueConverter } from './value-converter.js';

// The steps both pino paths (map-pino-record.ts, map-pino-json.ts) share once they have read a line.

/** The error's other fields under its key, then its exception.* attributes. */
export function addError(
  attributes: AnyValueMap,
  error: object,
  errorView: ErrorView,
  rest: AnyValueMap,
  converter: ValueConverter,
  mapping: ResolvedPinoMapping,
): void {
  if (Object.keys(rest).length > 0) setEntry(attributes, converter.key(mapping.errorKey), rest);
  const exception = exceptionAttributes(error, errorView, mapping.limits.maxStringLength);
  for (const key of Object.keys(exception)) attributes[key] = exception[key];
}

/** What both pino paths read from a line, before the record is assembled. */
export interface PinoRecordParts {
  readonly timestamp: number | undefined;
  readonly severity: LevelSeverity | undefined;
  readonly message: unknown;
  readonly errorView: ErrorView | undefined;
  readonly attributes: AnyValueMap;
  readonly trace: TraceFieldMatch;
  readonly resource: AnyValueMap;
}

/** Assembles the record from the parts both pino paths read. */
export function finishPinoRecord(
  { timestamp, severity, message, errorView, attributes, trace, resource }: PinoRecordParts,
  converter: ValueConverter,
  mapping: ResolvedPinoMapping,
  now: number,
): MappedLogRecord {
  return assembleRecord(
    {
      timestamp,
      severity,
      message,
      errorMessage: errorView?.message,
      attributes,
      spanContext: trace.spanContext,
      resource,
    },
    mapping,
    converter,
    now,
  );
}

/** pino's `hostname` and `pid`, converted, as resource attributes. */
export function resourceOf(hostname: AnyValue, pid: AnyValue): AnyValueMap {
  const resource: AnyValueMap = {};
  if (hostname !== undefined) resource['host.name'] = hostname;
  if (pid !== undefined) resource['process.pid'] = pid;
  return resource;
}
