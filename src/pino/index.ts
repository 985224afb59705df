export { pinoMixin } from './pino-mixin.js';
export type { PinoMixinFn, PinoMixinOptions } from './pino-mixin.js';
export { pinoSpanLogger } from './pino-span-logger.js';
export type { PinoSpanLoggerOptions } from './pino-span-logger.js';
