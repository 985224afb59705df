export { OtlpTransport } from './otlp-transport.js';
export type { OtlpTransportStreamOptions } from './otlp-transport.js';
export type {
  OtlpProtocol,
  OtlpTransportOptions,
  QueueFullPolicy,
} from '../otlp/otlp-transport-options.js';
export { exitOnSignals, STOP_SIGNALS } from '../otlp/exit-on-signals.js';
