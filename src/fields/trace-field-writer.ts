import type { SpanContext, Context } from '@opentelemetry/api';
import { readHexId, readAnySpanContext } from '../core/span-context.js';
import type { FieldProfile, FieldValue, TraceFieldOptions } from './field-profile.js';
import { TRACE_FIELD_OPTION_NAMES } from './field-profile.js';
import { writeBaggageEntries, readRequestId } from '../core/context-values.js';
import { reportProblem } from '../core/report-problem.js';
import { checkOptionNames, InvalidOptionError } from '../core/invalid-option-error.js';
import { resolveFieldProfile } from './resolve-field-profile.js';
import { LogFieldWriter } from './log-field-writer.js';

/** The fields of one span context, computed once and reused for every line in that span. */
export interface SpanFields {
  /** The fields as an object; copied, never handed out (pino's merge mutates what it gets). */
  readonly template: Readonly<Record<string, FieldValue>>;
  /** The same fields as JSON members without braces: `"trace_id":"…","span_id":"…"`. */
  readonly jsonMembers: string;
}

// Recently seen span contexts kept, for interleaved requests: a line of request A, one of B,
// one of A again. A WeakMap did this before, but inserting a fresh key per request measured
// 0.8–1.6 µs (its ephemeron bookkeeping in the GC) — a quarter of a lightweight request's
// tracing cost under autocannon. A ring of strong references holds at most this many span
// contexts (a few hundred bytes each) and scans them by identity in a few nanoseconds.
const RING_SIZE = 16;

/**
 * Validates a span context and computes a profile's fields for it, once per span context: the
 * last one is checked first (several lines in a row from one span), then a small ring of the
 * most recent ones. Invalid span contexts are remembered too, so each is validated once.
 */
export class SpanFieldCache {
  private readonly spanContexts: (SpanContext | undefined)[] = new Array<undefined>(RING_SIZE);
  private readonly fields: (SpanFields | null)[] = new Array<null>(RING_SIZE).fill(null);
  private last = 0;

  constructor(private readonly profile: FieldProfile) {}

  /** The fields for a span context, or `null` when its ids are invalid. */
  get(spanContext: SpanContext): SpanFields | null {
    if (this.spanContexts[this.last] === spanContext) return this.fields[this.last] ?? null;
    for (let i = 0; i < RING_SIZE; i++) {
      if (this.spanContexts[i] === spanContext) {
        this.last = i;
        return this.fields[i] ?? null;
      }
    }
    const fields = computeSpanFields(this.profile, spanContext);
    this.last = (this.last + 1) % RING_SIZE;
    this.spanContexts[this.last] = spanContext;
    this.fields[this.last] = fields;
    return fields;
  }
}

// The fields of a span context whose ids are valid, else null. One pass per id validates it
// and lower-cases it: the API accepts upper-case hex as valid; the log formats all specify
// lower case.
function computeSpanFields(profile: FieldProfile, spanContext: SpanContext): SpanFields | null {
  let traceId: string | undefined;
  let spanId: string | undefined;
  try {
    traceId = readHexId(spanContext.traceId, 32);
    spanId = readHexId(spanContext.spanId, 16);
  } catch {
    return null; // a getter that throws: as invalid as a malformed id
  }
  if (traceId === undefined || spanId === undefined) return null;
  return new ComputedSpanFields(profile, { traceId, spanId, traceFlags: spanContext.traceFlags });
}

class ComputedSpanFields implements SpanFields {
  readonly template: Readonly<Record<string, FieldValue>>;
  private members: string | undefined;

  /** `spanContext`: valid ids, already lower case. */
  constructor(profile: FieldProfile, spanContext: SpanContext) {
    const values = profile.values(spanContext);
    const template: Record<string, FieldValue> = {};
    const keys = profile.keys;
    for (let i = 0; i < keys.length; i++) template[keys[i]] = values[i];
    this.template = template;
  }

  // Only traceJson reads the JSON form: pino and traceFormat never pay for serialising it.
  get jsonMembers(): string {
    if (this.members === undefined) {
      const parts: string[] = [];
      for (const [key, value] of Object.entries(this.template)) {
        parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
      }
      this.members = parts.join(',');
    }
    return this.members;
  }
}

/** Trace fields as written into a log record. */
export type TraceFieldRecord = Record<string, FieldValue>;

const NO_TRACE_FIELDS = 'the line is logged without trace fields';

/**
 * The resolved form of {@link TraceFieldOptions}: profile keys fixed, options validated, a
 * per-span cache of the computed values. Shared by the pino mixin and the winston formats;
 * none of its methods throws.
 */
export class TraceFieldWriter {
  /** The profile's field names, in the order they are written. */
  readonly keys: readonly string[];
  private readonly cache: SpanFieldCache;
  private readonly copy: (fields: Readonly<TraceFieldRecord>) => TraceFieldRecord;
  private readonly baggageKeys: readonly string[];
  private readonly requestIdKey: string | undefined;
  // Baggage or request id asked for: fixed now, so the common case tests one boolean per line.
  private readonly hasExtras: boolean;
  // The log fields of the context (withLogFields), less the names this writer writes itself.
  private readonly logFields: LogFieldWriter;

  /**
   * @param ownKeys Fields the logger writes on every line itself (pino's `level`, `time`, …):
   * no baggage entry may be written under one of them, nor under a trace field's name.
   * @param ownOptions Option names the caller reads itself (pinoMixin's `mixin`, …): with the
   * trace field options, the names `options` may have; any other is an error.
   * @throws {InvalidOptionError} when an option is invalid, or its name unknown.
   */
  constructor(
    options: TraceFieldOptions = {},
    ownKeys: readonly string[] = [],
    ownOptions: readonly string[] = [],
  ) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new InvalidOptionError('options', 'an options object', options);
    }
    checkOptionNames(options, [...TRACE_FIELD_OPTION_NAMES, ...ownOptions]);
    const profile = resolveFieldProfile(options);
    this.keys = profile.keys;
    // Not a spread: pino extends the copy with the line's fields, and a spread copy measured
    // twice as slow to extend and serialise (`npm run bench -- correlation`).
    this.copy = profile.copy ?? ((fields) => Object.assign({}, fields));
    this.cache = new SpanFieldCache(profile);
    this.requestIdKey = resolveRequestIdKey(options.requestId, profile);
    this.baggageKeys = resolveBaggageKeys(options.baggage, [
      ...profile.keys,
      ...(this.requestIdKey === undefined ? [] : [this.requestIdKey]),
      ...ownKeys,
    ]);
    this.hasExtras = this.baggageKeys.length !== 0 || this.requestIdKey !== undefined;
    const owned = [...this.keys, ...this.baggageKeys];
    if (this.requestIdKey !== undefined) owned.push(this.requestIdKey);
    this.logFields = new LogFieldWriter(owned);
  }

  /** A fresh object holding the fields of `ctx`, or `undefined` when it has none. */
  fieldsFor(ctx: Context): TraceFieldRecord | undefined {
    try {
      const span = this.spanFieldsOf(ctx);
      const fields = span === null ? undefined : this.copy(span.template);
      const scope = this.logFields.scopeOf(ctx);
      if (!this.hasExtras && scope === undefined) return fields;
      const withExtras = fields ?? {};
      let written = scope === undefined ? 0 : this.logFields.writeOver(withExtras, scope);
      if (this.hasExtras) written += this.writeExtras(withExtras, ctx);
      return fields === undefined && written === 0 ? undefined : withExtras;
    } catch (error) {
      reportProblem('reading the trace context', NO_TRACE_FIELDS, error);
      return undefined;
    }
  }

  /** Writes the fields of `ctx` onto `target`, overwriting fields of the same name. */
  writeTo(target: Record<string, unknown>, ctx: Context): void {
    try {
      const span = this.spanFieldsOf(ctx);
      const scope = this.logFields.scopeOf(ctx);
      // The record's own fields win over the log fields; the trace fields over both.
      if (scope !== undefined) this.logFields.writeMissing(target, scope);
      if (span !== null) Object.assign(target, span.template);
      if (this.hasExtras) this.writeExtras(target, ctx);
    } catch (error) {
      reportProblem('reading the trace context', NO_TRACE_FIELDS, error);
    }
  }

  /**
   * The fields of `ctx` as JSON object members without braces (`"trace_id":"…",…`), or `''`
   * when it has none. The span's part is serialised once per span, not once per line.
   */
  jsonMembersFor(ctx: Context): string {
    try {
      const span = this.spanFieldsOf(ctx);
      let members = span === null ? '' : span.jsonMembers;
      const scope = this.logFields.scopeOf(ctx);
      if (scope !== undefined) {
        const logMembers = this.logFields.jsonMembers(scope);
        if (logMembers !== '') members = members === '' ? logMembers : `${members},${logMembers}`;
      }
      if (!this.hasExtras) return members;
      const extras: Record<string, unknown> = {};
      if (this.writeExtras(extras, ctx) === 0) return members;
      const extraMembers = JSON.stringify(extras).slice(1, -1);
      return members === '' ? extraMembers : `${members},${extraMembers}`;
    } catch (error) {
      reportProblem('reading the trace context', NO_TRACE_FIELDS, error);
      return '';
    }
  }

  /**
   * Writes the allow-listed baggage entries and the request id; returns how many. A baggage
   * entry never replaces a field `target` already has: the caller's baggage comes from
   * outside, and the line's own fields win over it.
   */
  private writeExtras(target: Record<string, unknown>, ctx: Context): number {
    let written =
      this.baggageKeys.length === 0 ? 0 : writeBaggageEntries(target, ctx, this.baggageKeys);
    if (this.requestIdKey !== undefined) {
      const requestId = readRequestId(ctx);
      if (requestId !== undefined) {
        target[this.requestIdKey] = requestId;
        written++;
      }
    }
    return written;
  }

  private spanFieldsOf(ctx: Context): SpanFields | null {
    const spanContext = readAnySpanContext(ctx);
    return spanContext === undefined ? null : this.cache.get(spanContext);
  }

  /**
   * Whether `target` already has one of the profile's fields (or a baggage or request-id
   * field, or, given `ctx`, one of its log fields) of its own.
   */
  hasOwnFieldIn(target: object, ctx?: Context): boolean {
    const scope = ctx === undefined ? undefined : this.logFields.scopeOf(ctx);
    if (scope !== undefined && this.logFields.hasOwnFieldIn(target, scope)) return true;
    for (const key of this.keys) if (Object.prototype.hasOwnProperty.call(target, key)) return true;
    for (const key of this.baggageKeys)
      if (Object.prototype.hasOwnProperty.call(target, key)) return true;
    return (
      this.requestIdKey !== undefined &&
      Object.prototype.hasOwnProperty.call(target, this.requestIdKey)
    );
  }
}

function resolveBaggageKeys(value: unknown, taken: readonly string[]): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((key) => typeof key === 'string' && key !== '')) {
    throw new InvalidOptionError('baggage', 'an array of non-empty baggage keys', value);
  }
  const clash = (value as string[]).find((key) => taken.includes(key));
  if (clash !== undefined) {
    throw new InvalidOptionError(
      'baggage',
      `baggage keys other than the fields every line has (${taken.join(', ')})`,
      clash,
    );
  }
  return [...(value as string[])];
}

// The request-id field per profile: each backend's own spelling where it has one (ECS
// `http.request.id`), the profile's case convention otherwise.
const REQUEST_ID_FIELD: Readonly<Record<string, string>> = {
  camel: 'requestId',
  ecs: 'http.request.id',
};

function resolveRequestIdKey(value: unknown, profile: FieldProfile): string | undefined {
  if (value === undefined || value === false) return undefined;
  const key =
    value === true ? (REQUEST_ID_FIELD[profile.name] ?? 'request_id') : (value as unknown);
  if (typeof key !== 'string' || key === '') {
    throw new InvalidOptionError('requestId', 'a boolean or a non-empty field name', value);
  }
  if (profile.keys.includes(key)) {
    throw new InvalidOptionError('requestId', 'a field name the profile does not use', value);
  }
  return key;
}
