import { TraceFlags } from '@opentelemetry/api';
import { formatTraceFlags, hexDigit, readHexId } from '../core/span-context.js';
import { fieldProfile } from './field-profile.js';
import type { FieldLayout, FieldProfile, TraceField } from './field-profile.js';

// Each built-in profile is built from its fields: for each, the key, how it is written and how
// it reads back. The transports read every built-in profile (transports/mapping/trace-fields.ts)
// from these same definitions.

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
 * A field holding the trace id as 32 lower-case hex digits.
 *
 * @example
 * ```ts
 * fieldProfile('custom', { traceId: traceIdField('tid'), spanId: spanIdField('sid') });
 * ```
 */
export function traceIdField(key: string): TraceField<string> {
  return { key, write: (sc) => sc.traceId, read: parseTraceId };
}

/**
 * A field holding the span id as 16 lower-case hex digits.
 *
 * @example
 * ```ts
 * spanIdField('span_id').write(spanContext); // '00f067aa0ba902b7'
 * ```
 */
export function spanIdField(key: string): TraceField<string> {
  return { key, write: (sc) => sc.spanId, read: parseSpanId };
}

/**
 * A field holding the trace flags as two lower-case hex digits (`"01"` when sampled).
 *
 * @example
 * ```ts
 * traceFlagsField('trace_flags').read?.('01'); // 1
 * ```
 */
export function traceFlagsField(key: string): TraceField<number> {
  return { key, write: (sc) => formatTraceFlags(sc.traceFlags), read: parseTraceFlags };
}

/**
 * The OpenTelemetry names, from the spec's "Trace Context in Non-OTLP Log Formats":
 * `trace_id`, `span_id`, `trace_flags` (two hex digits).
 */
export const OTEL_PROFILE: FieldProfile = fieldProfile(
  'otel',
  {
    traceId: traceIdField('trace_id'),
    spanId: spanIdField('span_id'),
    traceFlags: traceFlagsField('trace_flags'),
  },
  { copy: (f) => ({ trace_id: f.trace_id, span_id: f.span_id, trace_flags: f.trace_flags }) },
);

/** camelCase names, as the OpenTelemetry JS API spells them: `traceId`, `spanId`, `traceFlags`. */
export const CAMEL_PROFILE: FieldProfile = fieldProfile(
  'camel',
  {
    traceId: traceIdField('traceId'),
    spanId: spanIdField('spanId'),
    traceFlags: traceFlagsField('traceFlags'),
  },
  { copy: (f) => ({ traceId: f.traceId, spanId: f.spanId, traceFlags: f.traceFlags }) },
);

// ECS documents `trace.id` and `span.id` as nested objects; JSON loggers write them flat and
// dotted (as this profile does) or nested (`{ trace: { id }, span: { id } }`): both read back.
// The nested objects may hold other ECS fields (`span.name`): only their ids are consumed.
const ECS_NESTED: FieldLayout = {
  keys: ['trace', 'span'],
  nested: true,
  read(record, readOwn) {
    const trace = readOwn(record, 'trace');
    const span = readOwn(record, 'span');
    if (typeof trace !== 'object' || trace === null || typeof span !== 'object' || span === null) {
      return undefined;
    }
    const traceId = parseTraceId(readOwn(trace, 'id'));
    const spanId = parseSpanId(readOwn(span, 'id'));
    if (traceId === undefined || spanId === undefined) return undefined;
    return { traceId, spanId, traceFlags: TraceFlags.NONE, consumed: 0 };
  },
};

/**
 * Elastic Common Schema: `trace.id` and `span.id`, as flat dotted keys — the form ECS logging
 * libraries write and Elasticsearch expands — read back flat or nested. ECS has no field for
 * the trace flags: ids read from ECS fields come with flags 0.
 */
export const ECS_PROFILE: FieldProfile = fieldProfile(
  'ecs',
  { traceId: traceIdField('trace.id'), spanId: spanIdField('span.id') },
  {
    copy: (f) => ({ 'trace.id': f['trace.id'], 'span.id': f['span.id'] }),
    alsoReads: [ECS_NESTED],
  },
);

/** How `dd.trace_id` is written: Datadog's classic decimal 64-bit id, or the full 128-bit hex id. */
export type DatadogTraceIdFormat = 'decimal' | 'hex128';

/**
 * Converts hex to an exact unsigned decimal string. BigInt, because ids go beyond 2^53 and a
 * Number would round them (the whole point of the field is an exact match in Datadog).
 */
export function hexToDecimal(hex: string): string {
  return BigInt(`0x${hex}`).toString(10);
}

/**
 * Datadog's log/trace correlation fields: `dd.trace_id` is the decimal of the low 64 bits of
 * the trace id (what a Datadog tracer calls the trace id), or with `hex128` the 32 lower-hex
 * digits, which Datadog accepts for 128-bit ids; `dd.span_id` is the decimal span id.
 *
 * They are not read back: a decimal 64-bit `dd.trace_id` is only the low half of a 128-bit
 * trace id, whose high half cannot be recovered from the log line.
 */
export function datadogProfile(traceIdFormat: DatadogTraceIdFormat): FieldProfile {
  return fieldProfile(
    'datadog',
    {
      traceId: {
        key: 'dd.trace_id',
        write:
          traceIdFormat === 'hex128'
            ? (sc) => sc.traceId
            : (sc) => hexToDecimal(sc.traceId.slice(16)),
      },
      spanId: { key: 'dd.span_id', write: (sc) => hexToDecimal(sc.spanId) },
    },
    { copy: (f) => ({ 'dd.trace_id': f['dd.trace_id'], 'dd.span_id': f['dd.span_id'] }) },
  );
}

// Google Cloud's trace resource name; the bare id is accepted too (some loggers write it).
const GCP_TRACE_NAME = /^projects\/[^/]+\/traces\/([0-9a-fA-F]{32})$/;

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
 * Google Cloud Logging's special JSON fields, which the logging agent lifts into the
 * LogEntry: `logging.googleapis.com/trace` must be the trace's full resource name
 * (`projects/<projectId>/traces/<traceId>`), `spanId` the hex span id, `trace_sampled` a
 * boolean. Read back whatever the project: the project only shapes what is written.
 */
export function gcpProfile(projectId: string): FieldProfile {
  const prefix = `projects/${projectId}/traces/`;
  return fieldProfile(
    'gcp',
    {
      traceId: {
        key: 'logging.googleapis.com/trace',
        write: (sc) => prefix + sc.traceId,
        read: parseGcpTrace,
      },
      spanId: spanIdField('logging.googleapis.com/spanId'),
      traceFlags: {
        key: 'logging.googleapis.com/trace_sampled',
        // traceFlags is a bit field: SAMPLED is one bit of it, not one of its values.
        write: (sc) => (sc.traceFlags & 1) === 1,
        read: (value) =>
          typeof value !== 'boolean' ? undefined : value ? TraceFlags.SAMPLED : TraceFlags.NONE,
      },
    },
    {
      copy: (f) => ({
        'logging.googleapis.com/trace': f['logging.googleapis.com/trace'],
        'logging.googleapis.com/spanId': f['logging.googleapis.com/spanId'],
        'logging.googleapis.com/trace_sampled': f['logging.googleapis.com/trace_sampled'],
      }),
    },
  );
}

/**
 * Every built-in profile's layouts, in the order a reader prefers them: otel, camel, ECS (flat,
 * then nested), GCP. Datadog's fields do not read back (see {@link datadogProfile}).
 *
 * @example
 * ```ts
 * BUILTIN_LAYOUTS.flatMap((layout) => layout.keys); // ['trace_id', 'span_id', 'trace_flags', 'traceId', …]
 * ```
 */
export const BUILTIN_LAYOUTS: readonly FieldLayout[] = [
  OTEL_PROFILE,
  CAMEL_PROFILE,
  ECS_PROFILE,
  // Any project: GCP's fields read back whatever the project (see gcpProfile).
  gcpProfile('any'),
  datadogProfile('decimal'),
].flatMap((profile) => profile.layouts);
