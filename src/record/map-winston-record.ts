import { SeverityNumber } from '@opentelemetry/api-logs';
import type { SpanContext } from '@opentelemetry/api';
import { capturedContextOf } from '../context/captured-context.js';
import { readSpanContext } from '../context/read-span-context.js';
import { setEntry } from './any-value-map.js';
import { exceptionAttributes } from './exception-attributes.js';
import { findWinstonError } from './find-winston-error.js';
import { assembleRecord } from './assemble-record.js';
import { limitString } from './limit-string.js';
import type { LevelSeverity } from './level-severity.js';
import type { MappedLogRecord } from './mapped-log-record.js';
import { readOwn } from './read-own.js';
import { readTimestamp } from './read-timestamp.js';
import { readTraceFields } from './read-trace-fields.js';
import { removeNestedIds } from './remove-nested-ids.js';
import type { ResolvedWinstonMapping } from './resolve-winston-mapping.js';
import { ValueConverter } from './value-converter.js';
import { mapOrUnreadable } from './unreadable-record.js';
import { winstonLevelName } from './winston-level-name.js';

const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * Maps one winston `info` object, as a transport receives it, to the OpenTelemetry logs data
 * model. Never throws:
 * - severity from the level (see `winstonLevelName`); a level outside the set is
 *   UNSPECIFIED with its name kept as severityText;
 * - timestamp from `info.timestamp` (ISO string or epoch number, see `readTimestamp`), or
 *   without it from `info['@timestamp']` (ECS formats), else `now`; an unreadable time stays
 *   an attribute;
 * - body = `info.message`; without one, the error's message;
 * - the error (see `findWinstonError`) becomes `exception.*` attributes, cause chain included;
 * - span context: the one captured at the log call by `captureTraceContext`
 *   (`info[Symbol.for('tracelink.captured-context')]`) when it holds a valid span, else the
 *   trace fields of any profile (see `readTraceFields`);
 * - every other string-keyed field is an attribute; symbol keys (`Symbol.for('message')`,
 *   `Symbol.for('splat')`, …) never are. The resource is empty.
 *
 * @example
 * ```ts
 * const mapping = resolveWinstonMapping();
 * class OtlpTransport extends Transport {
 *   override log(info: object, next: () => void) {
 *     emit(mapWinstonRecord(info, mapping));
 *     next();
 *   }
 * }
 * ```
 */
export function mapWinstonRecord(
  info: object,
  mapping: ResolvedWinstonMapping,
  now: number = Date.now(),
): MappedLogRecord {
  return mapOrUnreadable('mapping a winston record', info, mapping, now, mapWinston);
}

function mapWinston(info: object, mapping: ResolvedWinstonMapping, now: number): MappedLogRecord {
  const converter = new ValueConverter(mapping.limits);
  const name = winstonLevelName(info);
  const severity = name === undefined ? undefined : severityOf(name, mapping);
  const levelIsName = typeof readOwn(info, 'level') === 'string';
  // ECS formats (`@elastic/ecs-winston-format`) write the time as `@timestamp` instead.
  const ownTime = readOwn(info, 'timestamp');
  const ecsTime = ownTime === undefined ? readOwn(info, '@timestamp') : undefined;
  const timeKey = ecsTime === undefined ? 'timestamp' : '@timestamp';
  const timestamp = readTimestamp(ecsTime ?? ownTime);
  const trace = readTraceFields(info, capturedSpanContext(info));
  const found = findWinstonError(info, trace.consumedKeys);
  // info's own keys that the exception carries: the error field, or the error's own fields.
  const errorKeys: ReadonlySet<string> =
    found === undefined
      ? NO_KEYS
      : new Set<string>(found.key === undefined ? found.view.consumedKeys : [found.key]);
  const attributes = converter.convertRecord(
    info,
    (key) =>
      key === 'message' ||
      (key === 'level' && levelIsName) ||
      (key === timeKey && timestamp !== undefined) ||
      trace.consumedKeys.has(key) ||
      errorKeys.has(key),
  );
  if (trace.consumedNested) removeNestedIds(attributes);
  if (found !== undefined) {
    if (found.key !== undefined) {
      const consumed = new Set(found.view.consumedKeys);
      const rest = converter.convertRecord(found.error, (key) => consumed.has(key), 1);
      if (Object.keys(rest).length > 0) setEntry(attributes, converter.key(found.key), rest);
    }
    const { maxStringLength } = mapping.limits;
    const exception = exceptionAttributes(found.error, found.view, maxStringLength);
    for (const key of Object.keys(exception)) attributes[key] = exception[key];
  }
  return assembleRecord(
    {
      timestamp,
      severity,
      message: readOwn(info, 'message'),
      errorMessage: found?.view.message,
      attributes,
      spanContext: trace.spanContext,
      resource: {},
    },
    mapping,
    converter,
    now,
  );
}

function severityOf(name: string, mapping: ResolvedWinstonMapping): LevelSeverity {
  return (
    mapping.severities.get(name) ?? {
      severityNumber: mapping.severityOverrides.get(name) ?? SeverityNumber.UNSPECIFIED,
      severityText: limitString(name, mapping.limits.maxStringLength),
    }
  );
}

function capturedSpanContext(info: object): SpanContext | undefined {
  try {
    const captured = capturedContextOf(info);
    // readSpanContext never throws, and counts only a valid span (not all-zero ids).
    return captured === undefined ? undefined : readSpanContext(captured);
  } catch {
    return undefined; // a Proxy that throws on the symbol read: fall back to the fields
  }
}
