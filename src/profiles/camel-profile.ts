import { formatTraceFlags } from '../context/trace-flags-hex.js';
import type { FieldProfile } from './field-profile.js';

/** camelCase names, as the OpenTelemetry JS API spells them: `traceId`, `spanId`, `traceFlags`. */
export const CAMEL_PROFILE: FieldProfile = {
  name: 'camel',
  keys: ['traceId', 'spanId', 'traceFlags'],
  values: (sc) => [sc.traceId, sc.spanId, formatTraceFlags(sc.traceFlags)],
  copy: (f) => ({ traceId: f.traceId, spanId: f.spanId, traceFlags: f.traceFlags }),
};
