export { readSpanContext } from './core/span-context.js';
export { formatTraceFlags } from './core/span-context.js';
export { InvalidOptionError } from './core/invalid-option-error.js';
export { hexToDecimal } from './fields/builtin-profiles.js';
export type { DatadogTraceIdFormat } from './fields/builtin-profiles.js';
export type {
  CustomFieldNames,
  FieldProfile,
  FieldProfileName,
  FieldValue,
} from './fields/field-profile.js';
export { resolveFieldProfile } from './fields/resolve-field-profile.js';
export type { TraceFieldOptions } from './fields/field-profile.js';
export { TraceFieldWriter } from './fields/trace-field-writer.js';
export type { TraceFieldRecord } from './fields/trace-field-writer.js';
export { createTraceFields, traceFields } from './fields/trace-fields.js';
export type { TraceFieldReader } from './fields/trace-fields.js';
export { readRequestId } from './core/context-values.js';
