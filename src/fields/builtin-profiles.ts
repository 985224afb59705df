import { formatTraceFlags } from '../core/span-context.js';
import type { FieldProfile } from './field-profile.js';

/**
 * The OpenTelemetry names, from the spec's "Trace Context in Non-OTLP Log Formats":
 * `trace_id`, `span_id`, `trace_flags` (two hex digits).
 */
export const OTEL_PROFILE: FieldProfile = {
  name: 'otel',
  keys: ['trace_id', 'span_id', 'trace_flags'],
  values: (sc) => [sc.traceId, sc.spanId, formatTraceFlags(sc.traceFlags)],
  copy: (f) => ({ trace_id: f.trace_id, span_id: f.span_id, trace_flags: f.trace_flags }),
};

/** camelCase names, as the OpenTelemetry JS API spells them: `traceId`, `spanId`, `traceFlags`. */
export const CAMEL_PROFILE: FieldProfile = {
  name: 'camel',
  keys: ['traceId', 'spanId', 'traceFlags'],
  values: (sc) => [sc.traceId, sc.spanId, formatTraceFlags(sc.traceFlags)],
  copy: (f) => ({ traceId: f.traceId, spanId: f.spanId, traceFlags: f.traceFlags }),
};

/**
 * Elastic Common Schema: `trace.id` and `span.id`, as flat dotted keys — the form ECS logging
 * libraries write and Elasticsearch expands. ECS has no field for the trace flags.
 */
export const ECS_PROFILE: FieldProfile = {
  name: 'ecs',
  keys: ['trace.id', 'span.id'],
  values: (sc) => [sc.traceId, sc.spanId],
  copy: (f) => ({ 'trace.id': f['trace.id'], 'span.id': f['span.id'] }),
};

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
 */
export function datadogProfile(traceIdFormat: DatadogTraceIdFormat): FieldProfile {
  return {
    name: 'datadog',
    keys: ['dd.trace_id', 'dd.span_id'],
    values:
      traceIdFormat === 'hex128'
        ? (sc) => [sc.traceId, hexToDecimal(sc.spanId)]
        : (sc) => [hexToDecimal(sc.traceId.slice(16)), hexToDecimal(sc.spanId)],
    copy: (f) => ({ 'dd.trace_id': f['dd.trace_id'], 'dd.span_id': f['dd.span_id'] }),
  };
}

/**
 * Google Cloud Logging's special JSON fields, which the logging agent lifts into the
 * LogEntry: `logging.googleapis.com/trace` must be the trace's full resource name
 * (`projects/<projectId>/traces/<traceId>`), `spanId` the hex span id, `trace_sampled` a boolean.
 */
export function gcpProfile(projectId: string): FieldProfile {
  const prefix = `projects/${projectId}/traces/`;
  return {
    name: 'gcp',
    keys: [
      'logging.googleapis.com/trace',
      'logging.googleapis.com/spanId',
      'logging.googleapis.com/trace_sampled',
    ],
    values: (sc) => [
      prefix + sc.traceId,
      sc.spanId,
      // traceFlags is a bit field: SAMPLED is one bit of it, not one of its values.
      (sc.traceFlags & 1) === 1,
    ],
    copy: (f) => ({
      'logging.googleapis.com/trace': f['logging.googleapis.com/trace'],
      'logging.googleapis.com/spanId': f['logging.googleapis.com/spanId'],
      'logging.googleapis.com/trace_sampled': f['logging.googleapis.com/trace_sampled'],
    }),
  };
}
