import { TraceFlags } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { hexDigit, readHexId } from '../../src/core/span-context.js';
import { readOwn } from './safe-values.js';

// Google Cloud's trace resource name; the bare id is accepted too (some loggers write it).
const GCP_TRACE_NAME = /^projects\/[^/]+\/traces\/([0-9a-fA-F]{32})$/;

/**
 * A trace id from a log field, lower-cased, when it is 32 hex digits and not all zero (W3C
 * Trace Context); else `undefined`.
 *
 * @example
 * ```ts
 * parseTraceId('4BF92F3577B34DA6A3CE929D0E0E4736'); // '4bf92f3577b34da6a3ce929d0e0e4736'
 * ```
 */
export function parseTraceId(value: unknown): string | undefined {
  return readHexId(value, 32);
}

/**
 * A span id from a log field, lower-cased, when it is 16 hex digits and not all zero.
 *
 * @example
 * ```ts
 * parseSpanId('00f067aa0ba902b7'); // '00f067aa0ba902b7'
 * ```
 */
export function parseSpanId(value: unknown): string | undefined {
  return readHexId(value, 16);
}

/**
 * Trace flags from a log field: two hex digits (`"01"`), or an integer 0–255; else
 * `undefined`.
 *
 * @example
 * ```ts
 * parseTraceFlags('01'); // 1
 * parseTraceFlags(1); // 1
 * ```
 */
export function parseTraceFlags(value: unknown): number | undefined {
  if (typeof value === 'string') {
    if (value.length !== 2) return undefined;
    const high = hexDigit(value.charCodeAt(0));
    const low = hexDigit(value.charCodeAt(1));
    return high < 0 || low < 0 ? undefined : high * 16 + low;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xff) {
    return value;
  }
  return undefined;
}

/**
 * The trace id inside Google Cloud's `logging.googleapis.com/trace`
 * (`projects/<project>/traces/<hex>`, or the bare hex), lower-cased; else `undefined`.
 *
 * @example
 * ```ts
 * parseGcpTrace('projects/p/traces/4bf92f3577b34da6a3ce929d0e0e4736'); // '4bf9…4736'
 * ```
 */
export function parseGcpTrace(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return parseTraceId(GCP_TRACE_NAME.exec(value)?.[1] ?? value);
}

/**
 * What the trace fields of a record became.
 *
 * @example
 * ```ts
 * const { spanContext, consumedKeys } = readTraceFields(line);
 * ```
 */
export interface TraceFieldMatch {
  /** The record's span context, when it has valid ids. */
  readonly spanContext: SpanContext | undefined;
  /** The top-level fields that became `spanContext` and are not attributes. */
  readonly consumedKeys: ReadonlySet<string>;
  /** Whether the nested ECS `trace.id` and `span.id` became `spanContext`. */
  readonly consumedNested: boolean;
}

interface Candidate {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
  /** The bits of the fields it consumes, one per name of {@link TRACE_KEYS}. */
  readonly keys: number;
  readonly nested: boolean;
}

const GCP_TRACE = 'logging.googleapis.com/trace';
const GCP_SPAN = 'logging.googleapis.com/spanId';
const GCP_SAMPLED = 'logging.googleapis.com/trace_sampled';

// Every top-level trace field, in the order the profiles are read; bit i stands for name i.
// A bit mask, not a fresh Set of names, per record: the mapping allocated a Set, an array of
// candidates and one of names for every record (`npm run bench -- worker`, typical shape).
const TRACE_KEYS = [
  'trace_id',
  'span_id',
  'trace_flags',
  'traceId',
  'spanId',
  'traceFlags',
  'trace.id',
  'span.id',
  GCP_TRACE,
  GCP_SPAN,
  GCP_SAMPLED,
] as const;
type TraceKey = (typeof TRACE_KEYS)[number];
const bitOf = (key: TraceKey): number => 1 << TRACE_KEYS.indexOf(key);

/** A profile whose ids are two top-level fields, with their bits computed once. */
interface FlatProfile {
  readonly traceKey: TraceKey;
  readonly spanKey: TraceKey;
  readonly flagsKey: TraceKey | undefined;
  readonly idBits: number;
  readonly flagsBit: number;
}

function flatProfile(traceKey: TraceKey, spanKey: TraceKey, flagsKey?: TraceKey): FlatProfile {
  const idBits = bitOf(traceKey) | bitOf(spanKey);
  const flagsBit = flagsKey === undefined ? 0 : bitOf(flagsKey);
  return { traceKey, spanKey, flagsKey, idBits, flagsBit };
}

const OTEL = flatProfile('trace_id', 'span_id', 'trace_flags');
const CAMEL = flatProfile('traceId', 'spanId', 'traceFlags');
const ECS_FLAT = flatProfile('trace.id', 'span.id');
const GCP_ID_BITS = bitOf(GCP_TRACE) | bitOf(GCP_SPAN);
const GCP_SAMPLED_BIT = bitOf(GCP_SAMPLED);

/**
 * What a record without trace fields gives: no span context, nothing consumed.
 *
 * @example
 * ```ts
 * readTraceFields({ msg: 'hi' }) === NO_TRACE_FIELDS; // true
 * ```
 */
export const NO_TRACE_FIELDS: TraceFieldMatch = Object.freeze({
  spanContext: undefined,
  consumedKeys: new Set<string>(),
  consumedNested: false,
});

const TRACE_FIELD_NAMES: ReadonlySet<string> = new Set<string>(['trace', 'span', ...TRACE_KEYS]);

/**
 * Whether a top-level field name is one `readTraceFields` reads (ECS's nested `trace` and
 * `span` included): a record with none of them has no trace fields, and need not be read.
 * For a mapper that walks the keys anyway, then calls {@link readNamedTraceFields}.
 *
 * @example
 * ```ts
 * isTraceFieldName('span_id'); // true
 * ```
 */
export function isTraceFieldName(key: string): boolean {
  return TRACE_FIELD_NAMES.has(key);
}

// One pass over the record's keys (a handful for most lines) instead of every reader probing
// its names: most records carry none (winston's, read on the application's thread; pino lines
// without the mixin). The one check for both mappers.
function hasTraceFieldName(record: object): boolean {
  for (const key in record) {
    if (TRACE_FIELD_NAMES.has(key) && Object.prototype.hasOwnProperty.call(record, key)) {
      return true;
    }
  }
  return false;
}

// Every profile tracelink writes (src/fields), in order of preference.
const READERS: readonly ((record: object) => Candidate | undefined)[] = [
  (record) => readFlat(record, OTEL),
  (record) => readFlat(record, CAMEL),
  (record) => readFlat(record, ECS_FLAT),
  readEcsNested,
  readGcp,
];

/**
 * Finds the trace context in a record's fields — otel `trace_id`/`span_id`/`trace_flags`,
 * camel `traceId`/`spanId`/`traceFlags`, ECS `trace.id`/`span.id` (flat dotted keys or
 * nested `{ trace: { id }, span: { id } }`), GCP `logging.googleapis.com/trace`
 * (`projects/<p>/traces/<hex>`), `…/spanId`, `…/trace_sampled` — and says which fields it
 * consumed. Defined outcomes:
 * - ids are lower-cased; a profile counts only with both ids valid (32 and 16 hex digits,
 *   not all zero), else its fields stay ordinary attributes;
 * - missing flags do not drop the ids: the flags are then 0 (not sampled), the W3C default
 *   for "no sampling decision known" — claiming `sampled` would invent a decision; ECS has
 *   no flags field, so ECS ids always come with 0. Unreadable flags stay an attribute;
 * - `captured` (a valid span context captured at the log call) wins over the fields;
 * - fields with the same ids as the chosen context are consumed too (a record stamped in
 *   two profiles); fields with other ids stay attributes, so nothing that disagrees is lost;
 * - Datadog's `dd.trace_id`/`dd.span_id` are never read: a decimal 64-bit id is only the low
 *   half of a 128-bit trace id, whose high half cannot be recovered from the log line;
 * - `isRemote` is true for ids read from fields: they were carried in, not created here.
 *
 * @example
 * ```ts
 * readTraceFields({ trace_id: '4bf9…4736', span_id: '00f0…02b7' }).spanContext?.traceFlags; // 0
 * ```
 */
export function readTraceFields(record: object, captured?: SpanContext): TraceFieldMatch {
  if (hasTraceFieldName(record)) return readNamedTraceFields(record, captured);
  return withSpanContextOnly(captured === undefined ? undefined : lower(captured));
}

/**
 * {@link readTraceFields} for a record already known to have a trace field name
 * ({@link isTraceFieldName} true for one of its keys): the same outcome, without the scan.
 *
 * @example
 * ```ts
 * const trace = keys.some(isTraceFieldName) ? readNamedTraceFields(record) : NO_TRACE_FIELDS;
 * ```
 */
export function readNamedTraceFields(record: object, captured?: SpanContext): TraceFieldMatch {
  // The first profile found decides, unless `captured` does; most records carry one profile,
  // so the others are kept only when a second one is found.
  let first: Candidate | undefined;
  let others: Candidate[] | undefined;
  for (const read of READERS) {
    const candidate = read(record);
    if (candidate === undefined) continue;
    if (first === undefined) first = candidate;
    else (others ??= []).push(candidate);
  }
  const spanContext = captured === undefined ? fromCandidate(first) : lower(captured);
  if (spanContext === undefined || first === undefined) return withSpanContextOnly(spanContext);
  let keys = 0;
  let consumedNested = false;
  const count = 1 + (others?.length ?? 0);
  for (let i = 0; i < count; i++) {
    const candidate = i === 0 ? first : (others as Candidate[])[i - 1];
    if (candidate.traceId !== spanContext.traceId || candidate.spanId !== spanContext.spanId) {
      continue;
    }
    keys |= candidate.keys;
    consumedNested ||= candidate.nested;
  }
  return { spanContext, consumedKeys: consumedKeysOf(keys), consumedNested };
}

function withSpanContextOnly(spanContext: SpanContext | undefined): TraceFieldMatch {
  return spanContext === undefined ? NO_TRACE_FIELDS : { ...NO_TRACE_FIELDS, spanContext };
}

// The consumed names of each mask, built once: in profile order, as they were added before.
// Read-only to every caller (`ReadonlySet`), so one Set serves every record.
const CONSUMED = new Map<number, ReadonlySet<string>>();

function consumedKeysOf(keys: number): ReadonlySet<string> {
  let consumed = CONSUMED.get(keys);
  if (consumed === undefined) {
    consumed = new Set(TRACE_KEYS.filter((_, i) => (keys & (1 << i)) !== 0));
    CONSUMED.set(keys, consumed);
  }
  return consumed;
}

function fromCandidate(candidate: Candidate | undefined): SpanContext | undefined {
  if (candidate === undefined) return undefined;
  const { traceId, spanId, traceFlags } = candidate;
  return { traceId, spanId, traceFlags, isRemote: true };
}

function lower(spanContext: SpanContext): SpanContext {
  // The API accepts upper-case hex as valid; OTLP and every log format use lower case.
  return {
    ...spanContext,
    traceId: spanContext.traceId.toLowerCase(),
    spanId: spanContext.spanId.toLowerCase(),
  };
}

function readFlat(record: object, profile: FlatProfile): Candidate | undefined {
  const traceId = parseTraceId(readOwn(record, profile.traceKey));
  const spanId = parseSpanId(readOwn(record, profile.spanKey));
  if (traceId === undefined || spanId === undefined) return undefined;
  const { flagsKey } = profile;
  const flags = flagsKey === undefined ? undefined : parseTraceFlags(readOwn(record, flagsKey));
  const keys = flags === undefined ? profile.idBits : profile.idBits | profile.flagsBit;
  return { traceId, spanId, traceFlags: flags ?? TraceFlags.NONE, keys, nested: false };
}

function readEcsNested(record: object): Candidate | undefined {
  const trace = readOwn(record, 'trace');
  const span = readOwn(record, 'span');
  if (typeof trace !== 'object' || trace === null || typeof span !== 'object' || span === null) {
    return undefined;
  }
  const traceId = parseTraceId(readOwn(trace, 'id'));
  const spanId = parseSpanId(readOwn(span, 'id'));
  if (traceId === undefined || spanId === undefined) return undefined;
  return { traceId, spanId, traceFlags: TraceFlags.NONE, keys: 0, nested: true };
}

function readGcp(record: object): Candidate | undefined {
  const traceId = parseGcpTrace(readOwn(record, GCP_TRACE));
  const spanId = parseSpanId(readOwn(record, GCP_SPAN));
  if (traceId === undefined || spanId === undefined) return undefined;
  const sampled = readOwn(record, GCP_SAMPLED);
  const ids = GCP_ID_BITS;
  if (typeof sampled !== 'boolean') {
    return { traceId, spanId, traceFlags: TraceFlags.NONE, keys: ids, nested: false };
  }
  const traceFlags = sampled ? TraceFlags.SAMPLED : TraceFlags.NONE;
  return { traceId, spanId, traceFlags, keys: ids | GCP_SAMPLED_BIT, nested: false };
}
