export { captureTraceContext } from './capture-trace-context.js';
export { traceFormat } from './trace-format.js';
export type { TraceFormatOptions } from './trace-format.js';
export { traceJson } from './trace-format.js';
export type { TraceJsonOptions } from './trace-format.js';
