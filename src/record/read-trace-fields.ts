import { TraceFlags } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { readOwn } from './read-own.js';
import { parseGcpTrace, parseSpanId, parseTraceFlags, parseTraceId } from './trace-ids.js';

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
  readonly keys: readonly string[];
  readonly nested: boolean;
}

const NO_MATCH: TraceFieldMatch = Object.freeze({
  spanContext: undefined,
  consumedKeys: new Set<string>(),
  consumedNested: false,
});

// Every profile tracelink writes (src/profiles), in order of preference.
const READERS: readonly ((record: object) => Candidate | undefined)[] = [
  (record) => readFlat(record, 'trace_id', 'span_id', 'trace_flags'),
  (record) => readFlat(record, 'traceId', 'spanId', 'traceFlags'),
  (record) => readFlat(record, 'trace.id', 'span.id'),
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
  const candidates: Candidate[] = [];
  for (const read of READERS) {
    const candidate = read(record);
    if (candidate !== undefined) candidates.push(candidate);
  }
  const spanContext = captured === undefined ? fromCandidate(candidates[0]) : lower(captured);
  if (spanContext === undefined) return NO_MATCH;
  const consumedKeys = new Set<string>();
  let consumedNested = false;
  for (const candidate of candidates) {
    if (candidate.traceId !== spanContext.traceId || candidate.spanId !== spanContext.spanId) {
      continue;
    }
    for (const key of candidate.keys) consumedKeys.add(key);
    consumedNested ||= candidate.nested;
  }
  return { spanContext, consumedKeys, consumedNested };
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

function readFlat(
  record: object,
  traceKey: string,
  spanKey: string,
  flagsKey?: string,
): Candidate | undefined {
  const traceId = parseTraceId(readOwn(record, traceKey));
  const spanId = parseSpanId(readOwn(record, spanKey));
  if (traceId === undefined || spanId === undefined) return undefined;
  const flags = flagsKey === undefined ? undefined : parseTraceFlags(readOwn(record, flagsKey));
  const keys = flags === undefined ? [traceKey, spanKey] : [traceKey, spanKey, flagsKey as string];
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
  return { traceId, spanId, traceFlags: TraceFlags.NONE, keys: [], nested: true };
}

const GCP_TRACE = 'logging.googleapis.com/trace';
const GCP_SPAN = 'logging.googleapis.com/spanId';
const GCP_SAMPLED = 'logging.googleapis.com/trace_sampled';

function readGcp(record: object): Candidate | undefined {
  const traceId = parseGcpTrace(readOwn(record, GCP_TRACE));
  const spanId = parseSpanId(readOwn(record, GCP_SPAN));
  if (traceId === undefined || spanId === undefined) return undefined;
  const sampled = readOwn(record, GCP_SAMPLED);
  if (typeof sampled !== 'boolean') {
    return {
      traceId,
      spanId,
      traceFlags: TraceFlags.NONE,
      keys: [GCP_TRACE, GCP_SPAN],
      nested: false,
    };
  }
  const traceFlags = sampled ? TraceFlags.SAMPLED : TraceFlags.NONE;
  return { traceId, spanId, traceFlags, keys: [GCP_TRACE, GCP_SPAN, GCP_SAMPLED], nested: false };
}
