import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { SpanContext, HrTime } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { AnyValue, AnyValueMap, LogRecord } from '@opentelemetry/api-logs';
import { millisToHrTime } from '@opentelemetry/core';
import { randomFillSync } from 'node:crypto';
import { flattenAttributes } from './values.js';
import type { ValueConverter } from './values.js';
import type { LevelSeverity } from './severity.js';
import { limitString, UNREADABLE } from './safe-values.js';
import type { ResolvedCommonMapping } from './mapping-options.js';
import { reportProblem } from '../../src/core/report-problem.js';
import { LinkedContext } from '../../src/core/captured-context.js';
import { prefixUnsafeKeys } from './sdk-attribute-keys.js';

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
  const { message, errorMessage, severity, spanContext } = parts;
  const attributes = mapping.flattenAttributes
    ? flattenAttributes(parts.attributes)
    : parts.attributes;
  if (mapping.recordUid) attributes[RECORD_UID] = recordUid(now);
  return {
    timestamp: parts.timestamp ?? now,
    observedTimestamp: now,
    severityNumber: severity?.severityNumber ?? SeverityNumber.UNSPECIFIED,
    severityText: severity?.severityText ?? '',
    body:
      message === undefined && errorMessage !== undefined
        ? limitString(errorMessage, mapping.limits.maxStringLength)
        : converter.convert(message, 1),
    attributes,
    ...(spanContext === undefined ? {} : { spanContext }),
    resource: parts.resource,
  };
}

/** The semantic conventions' attribute for a log record's unique id. */
const RECORD_UID = 'log.record.uid';

// Crockford's base32, as ULIDs spell them.
const ULID_DIGITS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
// Random bytes drawn 4 KiB at a time: one randomFillSync per 409 records, not one per record.
const randomPool = new Uint8Array(4096);
let randomAt = randomPool.length;

/**
 * A ULID (the `log.record.uid` form the semantic conventions recommend): 10 digits of the
 * epoch milliseconds, then 16 of 80 random bits — sortable by time, unique without
 * coordination between processes.
 */
export function recordUid(epochMillis: number): string {
  if (randomAt + 10 > randomPool.length) {
    randomFillSync(randomPool);
    randomAt = 0;
  }
  let uid = '';
  let time = Math.max(0, Math.floor(epochMillis));
  for (let i = 0; i < 10; i++) {
    uid = ULID_DIGITS[time % 32] + uid;
    time = Math.floor(time / 32);
  }
  // 80 bits as 16 digits of 5 bits: two bytes' worth of bits at a time keeps it in integers.
  let bits = 0;
  let held = 0;
  for (let i = 0; i < 10; i++) {
    bits = (bits << 8) | randomPool[randomAt++];
    held += 8;
    while (held >= 5) {
      held -= 5;
      uid += ULID_DIGITS[(bits >> held) & 31];
    }
    bits &= (1 << held) - 1;
  }
  return uid;
}

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

// The base of each record's context: a record's context is then one link, not a copy.
const ROOT = new LinkedContext(ROOT_CONTEXT);

/**
 * What is handed to the sdk-logs `Logger.emit` for a mapped record. The timestamps go
 * as `HrTime`, converted as sdk-logs converts epoch milliseconds (`millisToHrTime`): without
 * the time-origin lookup it makes per timestamp, and without its rule that a number below half
 * the process's time origin is a `performance.now()` reading (which would move a record stamped
 * before ~1998 to the worker's start). A time before 1970 has no `time_unix_nano` (an unsigned
 * count): it goes as 0, which OTLP reads as "unknown", beside the observed time. The context is
 * the record's own trace context, never whatever is active in the worker. Attribute keys that
 * sdk-logs would lose (a nested `constructor`, a `__proto__`) go prefixed (`prefixUnsafeKeys`):
 * the processor that takes the record from the logger calls `restorePrefixedKeys` first.
 *
 * @example
 * ```ts
 * logger.emit(toEmitInput(mapPinoRecord(line, mapping)));
 * ```
 */
export function toEmitInput(record: MappedLogRecord): LogRecord {
  const [attributes, context] = prefixUnsafeKeys(
    record.attributes,
    record.spanContext === undefined ? ROOT : trace.setSpanContext(ROOT, record.spanContext),
  );
  return {
    timestamp: toHrTime(record.timestamp),
    observedTimestamp: toHrTime(record.observedTimestamp),
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    body: record.body,
    attributes,
    context,
  };
}

/**
 * A record's time for sdk-logs and the encoders: epoch milliseconds as `HrTime`, converted as
 * sdk-logs converts them (`millisToHrTime`); a time before 1970 is `[0, 0]` (see
 * {@link toEmitInput}).
 *
 * @example
 * ```ts
 * toHrTime(1700000000000.5); // [1700000000, 500000]
 * ```
 */
export function toHrTime(epochMillis: number): HrTime {
  return epochMillis >= 0 ? millisToHrTime(epochMillis) : [0, 0];
}
