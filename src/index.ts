// The root entry: correlation for any logger, and the error every entry point throws at creation.
// The logger-specific parts load from their own entry points (tracelink/pino, tracelink/winston).
export { InvalidOptionError } from './core/invalid-option-error.js';
export type { DatadogTraceIdFormat } from './fields/builtin-profiles.js';
export type {
  CustomFieldNames,
  FieldProfileName,
  FieldValue,
  TraceFieldOptions,
} from './fields/field-profile.js';
export type { TraceFieldRecord } from './fields/trace-field-writer.js';
export { createTraceFields, traceFields } from './fields/trace-fields.js';
export type { TraceFieldReader } from './fields/trace-fields.js';
// Request-scoped log fields (MDC): every line logged inside the scope carries them.
export { getLogFields, setLogFields, withLogFields } from './fields/log-fields.js';
export type { LogFields, LogFieldValue } from './fields/log-fields.js';
export { logFieldStats } from './fields/log-field-stats.js';
export type { LogFieldStats } from './fields/log-field-stats.js';
// Error lines mark their span (the `markSpanOnError` option of pinoMixin, traceFormat, traceJson).
export { errorSpanStats } from './core/error-span.js';
export type { ErrorSpanStats } from './core/error-span.js';
