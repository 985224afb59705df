import type { AnyValueMap } from '@opentelemetry/api-logs';
import { setEntry } from './any-value-map.js';
import { isErrorLike } from './error-like.js';
import { readErrorView } from './error-view.js';
import { exceptionAttributes } from './exception-attributes.js';
import { assembleRecord } from './assemble-record.js';
import type { MappedLogRecord } from './mapped-log-record.js';
import { pinoLevelSeverity } from './pino-level-severity.js';
import { readOwn } from './read-own.js';
import { readTimestamp } from './read-timestamp.js';
import { readTraceFields } from './read-trace-fields.js';
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
): MappedLogRecord {
  return mapOrUnreadable('mapping a pino record', obj, mapping, now, mapPino);
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
    const consumed = new Set(errorView.consumedKeys);
    const rest = converter.convertRecord(error as object, (key) => consumed.has(key), 1);
    if (Object.keys(rest).length > 0) setEntry(attributes, converter.key(errorKey), rest);
    const exception = exceptionAttributes(
      error as object,
      errorView,
      mapping.limits.maxStringLength,
    );
    for (const key of Object.keys(exception)) attributes[key] = exception[key];
  }
  return assembleRecord(
    {
      timestamp,
      severity,
      message: readOwn(obj, mapping.messageKey),
      errorMessage: errorView?.message,
      attributes,
      spanContext: trace.spanContext,
      resource: resourceOf(obj, converter),
    },
    mapping,
    converter,
    now,
  );
}

function resourceOf(obj: object, converter: ValueConverter): AnyValueMap {
  const resource: AnyValueMap = {};
  const hostname = converter.convert(readOwn(obj, 'hostname'), 1);
  if (hostname !== undefined) resource['host.name'] = hostname;
  const pid = converter.convert(readOwn(obj, 'pid'), 1);
  if (pid !== undefined) resource['process.pid'] = pid;
  return resource;
}
