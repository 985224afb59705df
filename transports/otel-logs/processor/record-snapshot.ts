import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { TRUNCATED_DEPTH } from '../../mapping/safe-values.js';
import { setEntry } from '../../mapping/values.js';

/** A record as the processor holds it, with its estimated exported size. */
export interface RecordSnapshot {
  readonly record: ReadableLogRecord;
  /** Bytes, estimated: for the buffer's bound and the batches' byte bound. */
  readonly size: number;
}

// Far deeper than any log record; a cyclic value (which no exporter could encode either) stops
// here instead of exhausting the stack.
const MAX_DEPTH = 1000;
// Per record: timestamps, ids, severity, the framing of the fields. Per value: its tag and length.
const RECORD_OVERHEAD = 64;
const VALUE_OVERHEAD = 4;

/**
 * A copy of an sdk-logs record, taken in `onEmit`: the record stays writable until every
 * processor's `onEmit` has returned (a later processor may still set attributes or the body),
 * and its attribute and body values are the caller's own objects, which the app may change
 * after the log call. The copy holds the values as they were at `onEmit`: maps and lists copied,
 * byte arrays copied; the resource and scope, which sdk-logs shares between records and never
 * changes, by reference. The size counts 3 bytes per character (UTF-8's most for a UTF-16 unit),
 * as the transports estimate a line.
 *
 * @example
 * ```ts
 * onEmit(logRecord) { queue.push(snapshotRecord(logRecord)); }
 * ```
 */
export function snapshotRecord(source: ReadableLogRecord): RecordSnapshot {
  const sizer = { bytes: RECORD_OVERHEAD };
  const body = source.body === undefined ? undefined : copyValue(source.body, 1, sizer);
  const attributes = copyMap(source.attributes, 1, sizer);
  const severityText = source.severityText;
  if (severityText !== undefined) sizer.bytes += severityText.length * 3;
  const record: ReadableLogRecord = {
    hrTime: [source.hrTime[0], source.hrTime[1]],
    hrTimeObserved: [source.hrTimeObserved[0], source.hrTimeObserved[1]],
    spanContext: source.spanContext,
    severityText,
    severityNumber: source.severityNumber,
    body,
    eventName: source.eventName,
    resource: source.resource,
    instrumentationScope: source.instrumentationScope,
    attributes,
    droppedAttributesCount: source.droppedAttributesCount,
  };
  return { record, size: sizer.bytes };
}

function copyValue(value: AnyValue, depth: number, sizer: { bytes: number }): AnyValue {
  sizer.bytes += VALUE_OVERHEAD;
  if (typeof value === 'string') {
    sizer.bytes += value.length * 3;
    return value;
  }
  if (typeof value !== 'object' || value === null) {
    sizer.bytes += 8;
    return value;
  }
  if (depth > MAX_DEPTH) return TRUNCATED_DEPTH;
  if (value instanceof Uint8Array) {
    sizer.bytes += value.byteLength;
    return value.slice();
  }
  if (Array.isArray(value)) {
    const list: AnyValue[] = new Array<AnyValue>(value.length);
    for (let i = 0; i < value.length; i++) list[i] = copyValue(value[i], depth + 1, sizer);
    return list;
  }
  return copyMap(value, depth + 1, sizer);
}

function copyMap(map: AnyValueMap, depth: number, sizer: { bytes: number }): AnyValueMap {
  const out: AnyValueMap = {};
  for (const key of Object.keys(map)) {
    sizer.bytes += key.length * 3 + VALUE_OVERHEAD;
    // setEntry: a `__proto__` key stays an own key, as it was.
    setEntry(out, key, copyValue(map[key], depth, sizer));
  }
  return out;
}
