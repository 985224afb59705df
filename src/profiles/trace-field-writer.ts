import type { Context } from '@opentelemetry/api';
import { writeBaggageEntries } from '../context/read-baggage-entries.js';
import { readAnySpanContext } from '../context/read-span-context.js';
import { readRequestId } from '../context/request-id.js';
import { reportProblem } from '../report-problem.js';
import { InvalidOptionError } from '../options-error.js';
import type { FieldProfile, FieldValue } from './field-profile.js';
import { resolveFieldProfile } from './resolve-field-profile.js';
import { SpanFieldCache } from './span-field-cache.js';
import type { SpanFields } from './span-field-cache.js';
import type { TraceFieldOptions } from './trace-field-options.js';

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

  constructor(options: TraceFieldOptions = {}) {
    const profile = resolveFieldProfile(options);
    this.keys = profile.keys;
    // Not a spread: pino extends the copy with the line's fields, and a spread copy measured
    // twice as slow to extend and serialise (bench/RESULTS.md).
    this.copy = profile.copy ?? ((fields) => Object.assign({}, fields));
    this.cache = new SpanFieldCache(profile);
    this.baggageKeys = resolveBaggageKeys(options.baggage);
    this.requestIdKey = resolveRequestIdKey(options.requestId, profile);
    this.hasExtras = this.baggageKeys.length !== 0 || this.requestIdKey !== undefined;
  }

  /** A fresh object holding the fields of `ctx`, or `undefined` when it has none. */
  fieldsFor(ctx: Context): TraceFieldRecord | undefined {
    try {
      const span = this.spanFieldsOf(ctx);
      const fields = span === null ? undefined : this.copy(span.template);
      if (!this.hasExtras) return fields;
      const withExtras = fields ?? {};
      const written = this.writeExtras(withExtras, ctx);
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
      const members = span === null ? '' : span.jsonMembers;
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

  /** Writes the allow-listed baggage entries and the request id; returns how many. */
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
   * field) of its own.
   */
  hasOwnFieldIn(target: object): boolean {
    for (const key of this.keys) if (Object.prototype.hasOwnProperty.call(target, key)) return true;
    for (const key of this.baggageKeys)
      if (Object.prototype.hasOwnProperty.call(target, key)) return true;
    return (
      this.requestIdKey !== undefined &&
      Object.prototype.hasOwnProperty.call(target, this.requestIdKey)
    );
  }
}

function resolveBaggageKeys(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every((key) => typeof key === 'string' && key !== '')) {
    return [...(value as string[])];
  }
  throw new InvalidOptionError('baggage', 'an array of non-empty baggage keys', value);
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
