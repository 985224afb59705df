export { WinstonOtlpTransport } from './winston-otlp-transport.js';
export type { WinstonOtlpTransportOptions } from './winston-otlp-transport.js';
export type {
  OtlpExportOptions,
  OtlpProtocol,
  QueueFullPolicy,
  SpoolOptions,
} from '../options/otlp-options.js';
export { exitOnSignals } from '../exit-on-signals.js';
export type { DropReason, TransportStats } from '../transport-stats.js';
