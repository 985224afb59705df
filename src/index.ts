export { readSpanContext } from './context/read-span-context.js';
export { formatTraceFlags } from './context/trace-flags-hex.js';
export { InvalidOptionError } from './options-error.js';
export { hexToDecimal } from './profiles/datadog-profile.js';
export type { DatadogTraceIdFormat } from './profiles/datadog-profile.js';
export type {
  CustomFieldNames,
  FieldProfile,
  FieldProfileName,
  FieldValue,
} from './profiles/field-profile.js';
export { resolveFieldProfile } from './profiles/resolve-field-profile.js';
export type { TraceFieldOptions } from './profiles/trace-field-options.js';
export { TraceFieldWriter } from './profiles/trace-field-writer.js';
export type { TraceFieldRecord } from './profiles/trace-field-writer.js';
export { createTraceFields, traceFields } from './trace-fields.js';
export type { TraceFieldReader } from './trace-fields.js';
export { readRequestId } from './context/request-id.js';
