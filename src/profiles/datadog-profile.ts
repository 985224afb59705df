import type { FieldProfile } from './field-profile.js';

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
