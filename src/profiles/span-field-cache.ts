import type { SpanContext } from '@opentelemetry/api';
import { readHexId } from '../context/valid-ids.js';
import type { FieldProfile, FieldValue } from './field-profile.js';

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
