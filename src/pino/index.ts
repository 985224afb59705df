export { pinoMixin } from './pino-mixin.js';
export type { PinoMixinFn, PinoMixinOptions } from './pino-mixin.js';
export { pinoSpanLogger } from './pino-span-logger.js';
export type { PinoSpanLoggerOptions } from './pino-span-logger.js';
// Trace-aware logging: hold a request's debug lines until it fails; drop unsampled traces' lines.
export { pinoTraceBuffer } from '../trace-aware/pino-trace-buffer.js';
export type { PinoTraceBuffer, PinoTraceBufferOptions } from '../trace-aware/pino-trace-buffer.js';
export { pinoTraceSampling } from '../trace-aware/pino-trace-sampling.js';
export type {
  PinoTraceSampling,
  PinoTraceSamplingOptions,
} from '../trace-aware/pino-trace-sampling.js';
export type { TraceBufferStats } from '../trace-aware/trace-buffer.js';
export type { TraceBufferOptions } from '../trace-aware/trace-buffer-options.js';
export type {
  TraceSamplingOptions,
  TraceSamplingStats,
} from '../trace-aware/trace-sampling-options.js';
