export { WinstonOtlpTransport } from './winston-otlp-transport.js';
export type { WinstonOtlpTransportOptions } from './winston-otlp-transport.js';
export type { OtlpExportOptions, OtlpProtocol, QueueFullPolicy } from '../options/otlp-options.js';
export { exitOnSignals } from '../exit-on-signals.js';
