import type { SpanContext } from '@opentelemetry/api';
import { isValid } from '../context/read-span-context.js';
import type { FieldProfile, FieldValue } from './field-profile.js';

/** The fields of one span context, computed once and reused for every line in that span. */
export interface SpanFields {
  /** The fields as an object; copied, never handed out (pino's merge mutates what it gets). */
  readonly template: Readonly<Record<string, FieldValue>>;
  /** The same fields as JSON members without braces: `"trace_id":"…","span_id":"…"`. */
  readonly jsonMembers: string;
}

// Cached for invalid span contexts too, so they are validated once, not once per line.
const INVALID = null;

/**
 * Validates a span context and computes a profile's fields for it, once per span context: a
 * one-entry cache for the common case of several lines in a row from one span, and a WeakMap
 * for interleaved requests, which frees each entry with its span.
 */
export class SpanFieldCache {
  private lastSpanContext: SpanContext | undefined;
  private lastFields: SpanFields | typeof INVALID = INVALID;
  private readonly bySpanContext = new WeakMap<SpanContext, SpanFields | typeof INVALID>();

  constructor(private readonly profile: FieldProfile) {}

  /** The fields for a span context, or `null` when its ids are invalid. */
  get(spanContext: SpanContext): SpanFields | null {
    if (spanContext === this.lastSpanContext) return this.lastFields;
    let fields = this.bySpanContext.get(spanContext);
    if (fields === undefined) {
      fields = isValid(spanContext) ? this.compute(spanContext) : INVALID;
      this.bySpanContext.set(spanContext, fields);
    }
    this.lastSpanContext = spanContext;
    this.lastFields = fields;
    return fields;
  }

  private compute(spanContext: SpanContext): SpanFields {
    // The API accepts upper-case hex as valid; the log formats all specify lower case.
    const values = this.profile.values({
      traceId: spanContext.traceId.toLowerCase(),
      spanId: spanContext.spanId.toLowerCase(),
      traceFlags: spanContext.traceFlags,
    });
    const template: Record<string, FieldValue> = {};
    const members: string[] = [];
    this.profile.keys.forEach((key, i) => {
      const value = values[i];
      template[key] = value;
      members.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
    });
    return { template, jsonMembers: members.join(',') };
  }
}
