import type { SpanContext } from '@opentelemetry/api';
import { BUILTIN_LAYOUTS } from '../../src/fields/builtin-profiles.js';
import type { FieldLayout, ReadTraceFields } from '../../src/fields/field-profile.js';
import type { TraceFieldOptions } from '../../src/fields/field-profile.js';
import { resolveFieldLayouts } from '../../src/fields/resolve-field-profile.js';
import { readOwn } from './safe-values.js';

// Which fields hold the trace context, and how their values read, is each profile's own
// definition (src/fields): the same one that writes them. This module only decides between
// the profiles found in one record, and says which fields became the span context.

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

/**
 * The mappers' option for the trace fields, resolved into a {@link TraceFieldMatcher}.
 *
 * @example
 * ```ts
 * const options: TraceFieldMappingOptions = { fields: { traceId: 'tid', spanId: 'sid' } };
 * ```
 */
export interface TraceFieldMappingOptions {
  /**
   * The trace fields the application writes, as `pinoMixin`'s and `traceFormat`'s `fields`
   * option names them. Every built-in profile's fields are read whatever this says; custom
   * names (`{ traceId, spanId, traceFlags }`) are read too — before the built-in ones — and
   * removed from the attributes.
   * @default 'otel'
   */
  readonly fields?: TraceFieldOptions['fields'];
}

/** A layout's fields read from a record, and which layout read them. */
interface Candidate {
  readonly read: ReadTraceFields;
  readonly layout: number;
}

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

/**
 * Reads the trace context from records' fields, for a set of profile layouts fixed once (see
 * {@link resolveTraceFieldMatcher}): every built-in profile's, after the custom names'
 * when the transport's `fields` option gives them. Defined outcomes:
 * - ids are lower-cased; a layout counts only with both ids valid (32 and 16 hex digits,
 *   not all zero), else its fields stay ordinary attributes;
 * - missing flags do not drop the ids: the flags are then 0 (not sampled), the W3C default
 *   for "no sampling decision known" — claiming `sampled` would invent a decision; ECS has
 *   no flags field, so ECS ids always come with 0. Unreadable flags stay an attribute;
 * - the first layout found decides, unless `captured` (a valid span context captured at the
 *   log call) is given: it wins over the fields;
 * - fields with the same ids as the chosen context are consumed too (a record stamped in
 *   two profiles); fields with other ids stay attributes, so nothing that disagrees is lost;
 * - Datadog's `dd.trace_id`/`dd.span_id` are never read: a decimal 64-bit id is only the low
 *   half of a 128-bit trace id, whose high half cannot be recovered from the log line;
 * - `isRemote` is true for ids read from fields: they were carried in, not created here.
 *
 * @example
 * ```ts
 * const matcher = resolveTraceFieldMatcher({ traceId: 'tid', spanId: 'sid' });
 * matcher.read({ tid: '4bf9…4736', sid: '00f0…02b7' }).spanContext?.spanId; // '00f0…02b7'
 * ```
 */
export class TraceFieldMatcher {
  private readonly layouts: readonly FieldLayout[];
  /** Where each layout's keys start in `keys`: its fields' bits are shifted by as much. */
  private readonly offsets: readonly number[];
  /** Every layout's keys, in layout order; bit i of a consumed mask stands for keys[i]. */
  private readonly keys: readonly string[];
  private readonly names: ReadonlySet<string>;
  // The consumed names of each mask, built once: read-only to every caller (`ReadonlySet`),
  // so one Set serves every record. A bit mask, not a fresh Set of names, per record: the
  // mapping allocated a Set, an array of candidates and one of names for every record
  // (bench/record-mapping.mjs, typical shape).
  private readonly consumed = new Map<number, ReadonlySet<string>>();
  // The match of the last captured span context without trace fields: one span's records,
  // mapped one after another, take the same match. A fresh one per record (a copy with the
  // ids lower-cased) was a tenth of the winston worker's mapping in a CPU profile of the
  // worker during a 100k burst (the `tl-winston` scenario of `npm run bench -- transports`).
  private lastCaptured: SpanContext | undefined;
  private lastMatch: TraceFieldMatch = NO_TRACE_FIELDS;

  constructor(layouts: readonly FieldLayout[]) {
    this.layouts = layouts;
    const offsets: number[] = [];
    const keys: string[] = [];
    for (const layout of layouts) {
      offsets.push(keys.length);
      keys.push(...layout.keys);
    }
    // 31 bits, as JavaScript's bitwise operators keep them: the built-in profiles use 13.
    if (keys.length > 31) throw new RangeError('tracelink: more than 31 trace field keys');
    this.offsets = offsets;
    this.keys = keys;
    this.names = new Set(keys);
  }

  /**
   * Whether a top-level field name is one this matcher reads (ECS's nested `trace` and `span`
   * included): a record with none of them has no trace fields, and need not be read. For a
   * mapper that walks the keys anyway, then calls {@link TraceFieldMatcher.readNamed}.
   */
  isFieldName(key: string): boolean {
    return this.names.has(key);
  }

  /** Finds the trace context in a record's fields, and says which fields it consumed. */
  read(record: object, captured?: SpanContext): TraceFieldMatch {
    if (this.hasFieldName(record)) return this.readNamed(record, captured);
    if (captured === undefined) return NO_TRACE_FIELDS;
    // Records logged in one span share its span context object: the match is made once.
    if (captured !== this.lastCaptured) {
      this.lastCaptured = captured;
      this.lastMatch = withSpanContextOnly(lower(captured));
    }
    return this.lastMatch;
  }

  /**
   * {@link TraceFieldMatcher.read} for a record already known to have a trace field name
   * ({@link TraceFieldMatcher.isFieldName} true for one of its keys): the same outcome,
   * without the scan.
   */
  readNamed(record: object, captured?: SpanContext): TraceFieldMatch {
    // The first layout found decides, unless `captured` does; most records carry one
    // profile, so the others are kept only when a second one is found.
    let first: ReadTraceFields | undefined;
    let firstLayout = 0;
    let others: Candidate[] | undefined;
    const { layouts } = this;
    for (let i = 0; i < layouts.length; i++) {
      const read = layouts[i].read(record, readOwn);
      if (read === undefined) continue;
      if (first === undefined) {
        first = read;
        firstLayout = i;
      } else (others ??= []).push({ read, layout: i });
    }
    const spanContext = captured === undefined ? fromRead(first) : lower(captured);
    if (spanContext === undefined || first === undefined) return withSpanContextOnly(spanContext);
    let keys = 0;
    let consumedNested = false;
    const count = 1 + (others?.length ?? 0);
    for (let i = 0; i < count; i++) {
      const read = i === 0 ? first : (others as Candidate[])[i - 1].read;
      const layout = i === 0 ? firstLayout : (others as Candidate[])[i - 1].layout;
      if (read.traceId !== spanContext.traceId || read.spanId !== spanContext.spanId) continue;
      keys |= read.consumed << this.offsets[layout];
      consumedNested ||= layouts[layout].nested;
    }
    return { spanContext, consumedKeys: this.consumedKeysOf(keys), consumedNested };
  }

  // One pass over the record's keys (a handful for most lines) instead of every layout
  // probing its names: most records carry none (winston's, read on the application's
  // thread; pino lines without the mixin). The one check for both mappers.
  private hasFieldName(record: object): boolean {
    for (const key in record) {
      if (this.names.has(key) && Object.prototype.hasOwnProperty.call(record, key)) return true;
    }
    return false;
  }

  private consumedKeysOf(mask: number): ReadonlySet<string> {
    let consumed = this.consumed.get(mask);
    if (consumed === undefined) {
      consumed = new Set(this.keys.filter((_, i) => (mask & (1 << i)) !== 0));
      this.consumed.set(mask, consumed);
    }
    return consumed;
  }
}

// The matcher of the built-in profiles: what every transport reads without a `fields` option.
const BUILTIN_MATCHER = new TraceFieldMatcher(BUILTIN_LAYOUTS);

/**
 * The matcher for the transports' `fields` option: the built-in profiles' (one shared matcher)
 * unless `fields` gives custom names, which are then read first.
 *
 * @throws {InvalidOptionError} when `fields` is neither a profile name nor valid custom names.
 * @example
 * ```ts
 * const matcher = resolveTraceFieldMatcher({ traceId: 'tid', spanId: 'sid' });
 * ```
 */
export function resolveTraceFieldMatcher(fields: unknown): TraceFieldMatcher {
  const layouts = resolveFieldLayouts(fields);
  return layouts === BUILTIN_LAYOUTS ? BUILTIN_MATCHER : new TraceFieldMatcher(layouts);
}

/**
 * Whether a top-level field name is one of a built-in profile's (ECS's nested `trace` and
 * `span` included); see {@link TraceFieldMatcher.isFieldName}.
 *
 * @example
 * ```ts
 * isTraceFieldName('span_id'); // true
 * ```
 */
export function isTraceFieldName(key: string): boolean {
  return BUILTIN_MATCHER.isFieldName(key);
}

/**
 * Finds the trace context in a record's fields of any built-in profile — otel
 * `trace_id`/`span_id`/`trace_flags`, camel `traceId`/`spanId`/`traceFlags`, ECS
 * `trace.id`/`span.id` (flat dotted keys or nested `{ trace: { id }, span: { id } }`), GCP
 * `logging.googleapis.com/trace` (`projects/<p>/traces/<hex>`), `…/spanId`, `…/trace_sampled`
 * — and says which fields it consumed; the outcomes are {@link TraceFieldMatcher}'s.
 *
 * @example
 * ```ts
 * readTraceFields({ trace_id: '4bf9…4736', span_id: '00f0…02b7' }).spanContext?.traceFlags; // 0
 * ```
 */
export function readTraceFields(record: object, captured?: SpanContext): TraceFieldMatch {
  return BUILTIN_MATCHER.read(record, captured);
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
  return BUILTIN_MATCHER.readNamed(record, captured);
}

function withSpanContextOnly(spanContext: SpanContext | undefined): TraceFieldMatch {
  return spanContext === undefined ? NO_TRACE_FIELDS : { ...NO_TRACE_FIELDS, spanContext };
}

function fromRead(read: ReadTraceFields | undefined): SpanContext | undefined {
  if (read === undefined) return undefined;
  const { traceId, spanId, traceFlags } = read;
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
