export { OtlpTransport } from './otlp-transport.js';
export type { OtlpTransportStreamOptions } from './otlp-transport.js';
export type {
  OtlpProtocol,
  OtlpTransportOptions,
  QueueFullPolicy,
} from '../options/otlp-options.js';
export { exitOnSignals, STOP_SIGNALS } from '../exit-on-signals.js';
