export { captureTraceContext } from './capture-trace-context.js';
export { traceFormat } from './trace-format.js';
export type { TraceFormatOptions } from './trace-format.js';
export { traceJson } from './trace-format.js';
export type { TraceJsonOptions } from './trace-format.js';
// Trace-aware logging: hold a request's debug records until it fails; drop unsampled traces' records.
export { winstonTraceBuffer } from '../trace-aware/winston-trace-buffer.js';
export type {
  WinstonTraceBuffer,
  WinstonTraceBufferOptions,
} from '../trace-aware/winston-trace-buffer.js';
export { winstonTraceSampling } from '../trace-aware/winston-trace-sampling.js';
export type {
  WinstonTraceSampling,
  WinstonTraceSamplingOptions,
} from '../trace-aware/winston-trace-sampling.js';
export type { TraceBufferStats } from '../trace-aware/trace-buffer.js';
export type { TraceBufferOptions } from '../trace-aware/trace-buffer-options.js';
export type {
  TraceSamplingOptions,
  TraceSamplingStats,
} from '../trace-aware/trace-sampling-options.js';
