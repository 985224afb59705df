import type { AnyValue, AnyValueMap } from '@opentelemetry/api-logs';
import { setEntry } from './any-value-map.js';
import { isErrorLike } from './error-like.js';
import { readErrorView } from './error-view.js';
import type { ErrorView } from './error-view.js';
import { exceptionAttributes } from './exception-attributes.js';
import { assembleRecord } from './assemble-record.js';
import type { MappedLogRecord } from './mapped-log-record.js';
import { pinoLevelSeverity } from './pino-level-severity.js';
import { readOwn } from './read-own.js';
import { readTimestamp } from './read-timestamp.js';
import { isTraceFieldName, NO_TRACE_FIELDS, readTraceFields } from './read-trace-fields.js';
import type { TraceFieldMatch } from './read-trace-fields.js';
import { convertJsonFields, convertJsonValue } from './json-value.js';
import { limitString } from './limit-string.js';
import type { LevelSeverity } from './level-severity.js';
import { removeNestedIds } from './remove-nested-ids.js';
import type { ResolvedPinoMapping } from './resolve-pino-mapping.js';
import { ValueConverter } from './value-converter.js';
import { mapOrUnreadable } from './unreadable-record.js';

/**
 * Maps one pino line, parsed from JSON, to the OpenTelemetry logs data model. Never throws:
 * - severity from `level` (number or label; see `pinoSeverityNumber` for the placement);
 * - timestamp from `time` (see `readTimestamp`); when `time` is absent or unreadable the
 *   timestamp is `now`, and an unreadable `time` stays an attribute;
 * - body = the `messageKey` field; without one, the error's message; else `undefined`;
 * - the `errorKey` field, when error-like, becomes `exception.type`, `exception.message` and
 *   `exception.stacktrace` (with the cause chain); its other fields (`code`, …) stay under
 *   the error key;
 * - trace fields of any profile become `spanContext` (see `readTraceFields`);
 * - `hostname` → resource `host.name`, `pid` → resource `process.pid`;
 * - every other field is an attribute, converted by `toAnyValue`'s rules.
 *
 * A record that cannot be mapped at all gives `unreadableRecord(now)`, reported.
 *
 * `fromJson`: the caller vouches that `obj` is what `JSON.parse` returned (the pino line
 * transport's case). The outcome is the same; the mapping skips the checks for getters,
 * cycles, Dates and the like that such an object cannot hold. Anything else must not be
 * passed with it.
 *
 * @example
 * ```ts
 * const mapping = resolvePinoMapping();
 * mapPinoRecord({ level: 30, time: 1700000000000, msg: 'hi', user: 'ada' }, mapping);
 * // { severityNumber: 9, severityText: 'info', body: 'hi', attributes: { user: 'ada' }, … }
 * ```
 */
export function mapPinoRecord(
  obj: Record<string, unknown>,
  mapping: ResolvedPinoMapping,
  now: number = Date.now(),
  fromJson = false,
): MappedLogRecord {
  return mapOrUnreadable('mapping a pino record', obj, mapping, now, fromJson ? mapJson : mapPino);
}

function mapPino(obj: object, mapping: ResolvedPinoMapping, now: number): MappedLogRecord {
  const converter = new ValueConverter(mapping.limits);
  const severity = pinoLevelSeverity(readOwn(obj, 'level'), mapping);
  const time = readOwn(obj, 'time');
  const timestamp = readTimestamp(time);
  const trace = readTraceFields(obj);
  const error = readOwn(obj, mapping.errorKey);
  const errorView = isErrorLike(error) ? readErrorView(error) : undefined;
  const { reservedKeys, errorKey } = mapping;
  const attributes = converter.convertRecord(
    obj,
    (key) =>
      reservedKeys.has(key) ||
      trace.consumedKeys.has(key) ||
      (key === 'level' && severity !== undefined) ||
      (key === 'time' && timestamp !== undefined) ||
      (key === errorKey && errorView !== undefined),
  );
  if (trace.consumedNested) removeNestedIds(attributes);
  if (errorView !== undefined) {
    const rest = converter.convertRecord(
      error as object,
      (key) => errorView.consumedKeys.includes(key),
      1,
    );
    addError(attributes, error as object, errorView, rest, converter, mapping);
  }
  const message = readOwn(obj, mapping.messageKey);
  // Read after the message and each converted before the next is read, as always.
  const hostname = converter.convert(readOwn(obj, 'hostname'), 1);
  const resource = resourceOf(hostname, converter.convert(readOwn(obj, 'pid'), 1));
  return finish(
    timestamp,
    severity,
    message,
    errorView,
    attributes,
    trace,
    resource,
    converter,
    mapping,
    now,
  );
}

// The same outcome as mapPino for an object JSON.parse returned (the property test in
// test/record/map-pino-json.test.ts compares the two): its fields are own, enumerable data
// properties, so one pass over Object.keys finds every field mapPino reads with readOwn (20
// own-property checks for the typical line), and the attributes take convertJsonValue's
// path. 1.6–1.9× the speed of the general path before this change on the typical line,
// 1.5–1.6× with an error, 1.3–1.4× with 20 fields (bench/record-mapping.mjs, 3 runs).
function mapJson(obj: object, mapping: ResolvedPinoMapping, now: number): MappedLogRecord {
  const fields = obj as Record<string, unknown>;
  const { messageKey, errorKey, limits } = mapping;
  const keys = Object.keys(fields);
  let level, time, message, error, hostname, pid: unknown;
  let traced = false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    // Not `else`: messageKey or errorKey may name a field read for another purpose too.
    if (key === messageKey) message = fields[key];
    if (key === errorKey) error = fields[key];
    if (key === 'level') level = fields[key];
    else if (key === 'time') time = fields[key];
    else if (key === 'hostname') hostname = fields[key];
    else if (key === 'pid') pid = fields[key];
    else if (!traced) traced = isTraceFieldName(key);
  }
  const converter = new ValueConverter(limits);
  const severity = pinoLevelSeverity(level, mapping);
  const timestamp = readTimestamp(time);
  const trace = traced ? readTraceFields(obj) : NO_TRACE_FIELDS;
  const errorView = isErrorLike(error) ? readErrorView(error) : undefined;
  const attributes: AnyValueMap = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (
      key === messageKey ||
      key === 'hostname' ||
      key === 'pid' ||
      (traced && trace.consumedKeys.has(key)) ||
      (key === 'level' && severity !== undefined) ||
      (key === 'time' && timestamp !== undefined) ||
      (key === errorKey && errorView !== undefined)
    ) {
      continue;
    }
    const value = convertJsonValue(fields[key], 1, limits);
    if (value !== undefined) setEntry(attributes, limitString(key, limits.maxStringLength), value);
  }
  if (trace.consumedNested) removeNestedIds(attributes);
  if (errorView !== undefined) {
    const rest = convertJsonFields(error as object, 1, limits, errorView.consumedKeys);
    addError(attributes, error as object, errorView, rest, converter, mapping);
  }
  const resource = resourceOf(converter.convert(hostname, 1), converter.convert(pid, 1));
  return finish(
    timestamp,
    severity,
    message,
    errorView,
    attributes,
    trace,
    resource,
    converter,
    mapping,
    now,
  );
}

// The error's other fields under its key, then its exception.* attributes.
function addError(
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

function finish(
  timestamp: number | undefined,
  severity: LevelSeverity | undefined,
  message: unknown,
  errorView: ErrorView | undefined,
  attributes: AnyValueMap,
  trace: TraceFieldMatch,
  resource: AnyValueMap,
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

// pino's `hostname` and `pid`, converted, as resource attributes.
function resourceOf(hostname: AnyValue, pid: AnyValue): AnyValueMap {
  const resource: AnyValueMap = {};
  if (hostname !== undefined) resource['host.name'] = hostname;
  if (pid !== undefined) resource['process.pid'] = pid;
  return resource;
}
