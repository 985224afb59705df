import { isErrorLike } from './error-like.js';
import { readErrorView } from './error-view.js';
import type { MappedLogRecord } from './mapped-log-record.js';
import { mapPinoJson } from './map-pino-json.js';
import { LEVEL_KEYS, TIME_KEYS, levelKeyOf, timeKeyOf } from './formatter-keys.js';
import { addError, finishPinoRecord, resourceOf } from './pino-record-parts.js';
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
 * - severity from `level` (number or label; see `pinoSeverityNumber` for the placement and
 *   `pinoLevelSeverity` for names); without `level`, from a `severity` or `log.level` name
 *   (a formatter's renamed level: Google Cloud, ECS);
 * - timestamp from `time` (see `readTimestamp`), or without it from `timestamp` or
 *   `@timestamp`; when none is there or it is unreadable the timestamp is `now`, and an
 *   unreadable time stays an attribute;
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
  return mapOrUnreadable(
    'mapping a pino record',
    obj,
    mapping,
    now,
    fromJson ? mapPinoJson : mapPino,
  );
}

/**
 * A field a formatter may have renamed (formatter-keys.ts): pino's own key and its value, or
 * the renamed key `keyOf` picks and its value. The renamed keys are read only without pino's,
 * and each field once (a getter runs once).
 */
function readRenamable<K extends string>(
  obj: object,
  keys: readonly [K, K, K],
  keyOf: (own: unknown, renamed: unknown, renamedAgain: unknown) => K,
): { readonly key: K; readonly value: unknown } {
  const own = readOwn(obj, keys[0]);
  if (own !== undefined) return { key: keys[0], value: own };
  const renamed = readOwn(obj, keys[1]);
  const renamedAgain = readOwn(obj, keys[2]);
  const key = keyOf(own, renamed, renamedAgain);
  const value = key === keys[1] ? renamed : key === keys[2] ? renamedAgain : undefined;
  return { key, value };
}

function mapPino(obj: object, mapping: ResolvedPinoMapping, now: number): MappedLogRecord {
  const converter = new ValueConverter(mapping.limits);
  const level = readRenamable(obj, LEVEL_KEYS, levelKeyOf);
  const levelKey = level.key;
  const severity = pinoLevelSeverity(level.value, mapping);
  const time = readRenamable(obj, TIME_KEYS, timeKeyOf);
  const timeKey = time.key;
  const timestamp = readTimestamp(time.value);
  const trace = readTraceFields(obj);
  const error = readOwn(obj, mapping.errorKey);
  const errorView = isErrorLike(error) ? readErrorView(error) : undefined;
  const { reservedKeys, errorKey } = mapping;
  const attributes = converter.convertRecord(
    obj,
    (key) =>
      reservedKeys.has(key) ||
      trace.consumedKeys.has(key) ||
      (key === levelKey && severity !== undefined) ||
      (key === timeKey && timestamp !== undefined) ||
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
  return finishPinoRecord(
    { timestamp, severity, message, errorView, attributes, trace, resource },
    converter,
    mapping,
    now,
  );
}
