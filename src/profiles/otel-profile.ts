import { formatTraceFlags } from '../context/trace-flags-hex.js';
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
