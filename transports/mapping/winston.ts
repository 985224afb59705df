import { SeverityNumber } from '@opentelemetry/api-logs';
import type { SpanContext } from '@opentelemetry/api';
import type { AnyValueMap } from '@opentelemetry/api-logs';
import { InvalidOptionError } from '../../src/core/invalid-option-error.js';
import { NPM_LEVEL_SET, winstonSeverities, winstonLevelName } from './severity.js';
import type { LevelSeverity, WinstonLevels } from './severity.js';
import { resolveCommonMapping, isRecord } from './mapping-options.js';
import type { CommonMappingOptions, ResolvedCommonMapping } from './mapping-options.js';
import { readErrorView, viewOfStackRecord, exceptionAttributes } from './errors.js';
import { isLiveError } from '../../src/core/error-span.js';
import type { ErrorView } from './errors.js';
import { readOwn, limitString } from './safe-values.js';
import { capturedContextOf } from '../../src/core/captured-context.js';
import { readSpanContext } from '../../src/core/span-context.js';
import { setEntry, removeNestedIds, ValueConverter } from './values.js';
import type { ValueLimits } from './values.js';
import { convertJsonValue } from './json-values.js';
import { assembleRecord, mapOrUnreadable } from './mapped-log-record.js';
import type { MappedLogRecord } from './mapped-log-record.js';
import { readTimestamp } from './record-fields.js';
import { resolveTraceFieldMatcher } from './trace-fields.js';
import type { TraceFieldMappingOptions, TraceFieldMatcher } from './trace-fields.js';

/**
 * Options of {@link resolveWinstonMapping}.
 *
 * @example
 * ```ts
 * const options: WinstonMappingOptions = { levels: winston.config.syslog.levels };
 * ```
 */
export interface WinstonMappingOptions extends CommonMappingOptions, TraceFieldMappingOptions {
  /**
   * The logger's level set (`logger.levels`): name → rank, 0 the most severe. winston's
   * `npm`, `syslog` and `cli` sets are recognised; any other set is placed by rank.
   * @default winston.config.npm.levels
   */
  readonly levels?: WinstonLevels;
}

/**
 * {@link WinstonMappingOptions}, validated, with every level's severity computed. Resolved
 * once per transport and shared by every record.
 *
 * @example
 * ```ts
 * const mapping: ResolvedWinstonMapping = resolveWinstonMapping();
 * mapping.severities.get('http'); // { severityNumber: 7, severityText: 'http' }
 * ```
 */
export interface ResolvedWinstonMapping extends ResolvedCommonMapping {
  /** Reads the span context from a record's trace fields. */
  readonly traceFields: TraceFieldMatcher;
  /** The severity of every level of the set, overrides applied. */
  readonly severities: ReadonlyMap<string, LevelSeverity>;
}

/**
 * Validates the options of the winston mapping once and computes the severity of every level.
 *
 * @throws {InvalidOptionError} when an option is invalid.
 * @example
 * ```ts
 * const mapping = resolveWinstonMapping({ levels: winston.config.syslog.levels });
 * const record = mapWinstonRecord(info, mapping);
 * ```
 */
export function resolveWinstonMapping(options: WinstonMappingOptions = {}): ResolvedWinstonMapping {
  if (!isRecord(options)) throw new InvalidOptionError('options', 'an object', options);
  const common = resolveCommonMapping(options);
  const levels = resolveLevels(options.levels);
  const severities = new Map<string, LevelSeverity>();
  for (const [name, placed] of winstonSeverities(levels)) {
    const severityNumber = common.severityOverrides.get(name) ?? placed;
    severities.set(name, { severityNumber, severityText: name });
  }
  return { ...common, severities, traceFields: resolveTraceFieldMatcher(options.fields) };
}

function resolveLevels(value: unknown): WinstonLevels {
  if (value === undefined) return NPM_LEVEL_SET.levels;
  const expected = 'an object of level name → rank (0 = most severe), as logger.levels';
  if (!isRecord(value) || Object.keys(value).length === 0) {
    throw new InvalidOptionError('levels', expected, value);
  }
  for (const [name, rank] of Object.entries(value)) {
    if (typeof rank !== 'number' || !Number.isFinite(rank)) {
      throw new InvalidOptionError(`levels.${name}`, 'a finite number', rank);
    }
  }
  return value as WinstonLevels;
}

/**
 * The error a winston `info` carries, and where.
 *
 * @example
 * ```ts
 * const found: WinstonError | undefined = findWinstonError(info, new Set());
 * ```
 */
export interface WinstonError {
  /** The error object: `info` itself, or the value of `key`. */
  readonly error: object;
  readonly view: ErrorView;
  /** The field holding the error, when it is a meta field; its extra props stay there. */
  readonly key: string | undefined;
}

/**
 * Finds the error of a winston `info`, in winston's three shapes, first match wins:
 * 1. `info` is itself an `Error` (`logger.error(err)` without `format.errors()`);
 * 2. `info.stack` is a string that starts like a stack (`TypeError: …`), as
 *    `format.errors({ stack: true })` and `logger.error('msg', err)` leave it (winston copies
 *    the error's `stack`, `message` and `cause` onto `info`);
 * 3. the first field holding a live `Error` (`logger.info('msg', { error: err })`).
 * Later `Error` fields are ordinary attributes (`{ type, message, stack, … }` maps).
 *
 * @example
 * ```ts
 * findWinstonError({ message: 'failed', error: new Error('boom') }, new Set())?.key; // 'error'
 * ```
 */
export function findWinstonError(
  info: object,
  skip: ReadonlySet<string>,
): WinstonError | undefined {
  const own = ownWinstonError(info);
  if (own !== undefined) return own;
  for (const key of ownKeys(info)) {
    if (skip.has(key)) continue;
    const value = readOwn(info, key);
    if (isLiveError(value)) {
      return { error: value, view: readErrorView(value), key };
    }
  }
  return undefined;
}

/** Shapes 1 and 2 of {@link findWinstonError}: the error `info` is, or carries itself. */
function ownWinstonError(info: object): WinstonError | undefined {
  if (isLiveError(info)) return { error: info, view: readErrorView(info), key: undefined };
  const stack = readOwn(info, 'stack');
  if (typeof stack === 'string') {
    const view = viewOfStackRecord(stack, readOwn(info, 'message'), readOwn(info, 'cause'));
    // A `stack` meta field that is no error's stack ('node, postgres') stays an attribute.
    if (view.type !== undefined) return { error: info, view, key: undefined };
  }
  return undefined;
}

function ownKeys(info: object): string[] {
  try {
    return Object.keys(info);
  } catch {
    return []; // reported where the attributes are read
  }
}

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
 *   trace fields of any built-in profile, or of the custom names of the `fields` option
 *   (see `TraceFieldMatcher`);
 * - every other string-keyed field is an attribute; symbol keys (`Symbol.for('message')`,
 *   `Symbol.for('splat')`, …) never are. The resource is empty.
 *
 * @example
 * ```ts
 * const mapping = resolveWinstonMapping();
 * class WinstonOtlpTransport extends Transport {
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
  const severity = winstonRecordSeverity(info, mapping);
  return mapWinstonFields(info, severity, capturedSpanContext, mapping, now, false);
}

/**
 * What the logging thread read from a winston `info` for {@link mapWinstonJson}: what the
 * record's JSON does not carry (its severity, from the logger's levels and winston's
 * Symbol-keyed level; the span context captured at the log call) and when it was logged.
 *
 * @example
 * ```ts
 * const read: WinstonRecordReadings = { severity: undefined, spanContext: undefined, now: Date.now() };
 * ```
 */
export interface WinstonRecordReadings {
  /** The level's severity, as `mapWinstonRecord` finds it; `undefined` without a level name. */
  readonly severity: LevelSeverity | undefined;
  /** The valid span context captured at the log call, if any. */
  readonly spanContext: SpanContext | undefined;
  /** When the record was logged, in epoch milliseconds: its time when it has none of its own. */
  readonly now: number;
}

/**
 * Maps a winston `info` that crossed to the worker thread as JSON — `JSON.parse` of
 * `JSON.stringify(info)`, for an `info` of plain data only (see `isPlainRecord`) — to the
 * same record `mapWinstonRecord` makes of the `info` itself, given what the logging thread
 * read from it that JSON does not carry (`read`). Its fields are own, enumerable data
 * properties: the attributes take `convertJsonValue`'s path, as pino's lines do. Never throws.
 *
 * @example
 * ```ts
 * const record = mapWinstonJson(JSON.parse(json), { severity, spanContext, now }, mapping);
 * ```
 */
export function mapWinstonJson(
  fields: object,
  read: WinstonRecordReadings,
  mapping: ResolvedWinstonMapping,
): MappedLogRecord {
  return mapOrUnreadable('mapping a winston record', fields, mapping, read.now, (obj) =>
    mapWinstonFields(obj, read.severity, () => read.spanContext, mapping, read.now, true),
  );
}

/** The mapping of {@link mapWinstonRecord}, once the severity is known. */
function mapWinstonFields(
  info: object,
  severity: LevelSeverity | undefined,
  captured: (info: object) => SpanContext | undefined,
  mapping: ResolvedWinstonMapping,
  now: number,
  fromJson: boolean,
): MappedLogRecord {
  const converter = new ValueConverter(mapping.limits);
  const levelIsName = typeof readOwn(info, 'level') === 'string';
  // ECS formats (`@elastic/ecs-winston-format`) write the time as `@timestamp` instead.
  const ownTime = readOwn(info, 'timestamp');
  const ecsTime = ownTime === undefined ? readOwn(info, '@timestamp') : undefined;
  const timeKey = ecsTime === undefined ? 'timestamp' : '@timestamp';
  const timestamp = readTimestamp(ecsTime ?? ownTime);
  const trace = mapping.traceFields.read(info, captured(info));
  // Parsed JSON holds no live Error: only the error `info` carries itself can be there.
  const found = fromJson ? ownWinstonError(info) : findWinstonError(info, trace.consumedKeys);
  // info's own keys that the exception carries: the error field, or the error's own fields.
  const errorKeys: ReadonlySet<string> =
    found === undefined
      ? NO_KEYS
      : new Set<string>(found.key === undefined ? found.view.consumedKeys : [found.key]);
  const skip = (key: string): boolean =>
    key === 'message' ||
    (key === 'level' && levelIsName) ||
    (key === timeKey && timestamp !== undefined) ||
    trace.consumedKeys.has(key) ||
    errorKeys.has(key);
  const attributes = fromJson
    ? convertJsonRecord(info, skip, mapping.limits)
    : converter.convertRecord(info, skip);
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

// ValueConverter.convertRecord's outcome for an object JSON.parse returned (see json-values.ts).
function convertJsonRecord(
  source: object,
  skip: (key: string) => boolean,
  limits: ValueLimits,
): AnyValueMap {
  const out: AnyValueMap = {};
  const fields = source as Record<string, unknown>;
  const keys = Object.keys(fields);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (skip(key)) continue;
    const value = convertJsonValue(fields[key], 1, limits);
    if (value !== undefined) setEntry(out, limitString(key, limits.maxStringLength), value);
  }
  return out;
}

/**
 * The severity `mapWinstonRecord` gives a winston `info`: that of its level name (winston's
 * `Symbol.for('level')`, else its `level` field without colours; see `winstonLevelName`) in
 * the logger's levels, overrides applied; a name outside the set is UNSPECIFIED, its name
 * kept as the text; `undefined` without a level name. Never throws.
 *
 * @example
 * ```ts
 * winstonRecordSeverity({ level: 'warn', message: 'low disk' }, resolveWinstonMapping());
 * // { severityNumber: 13, severityText: 'warn' }
 * ```
 */
export function winstonRecordSeverity(
  info: object,
  mapping: ResolvedWinstonMapping,
): LevelSeverity | undefined {
  const name = winstonLevelName(info);
  return name === undefined ? undefined : severityOf(name, mapping);
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
