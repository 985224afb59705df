export { OtlpTransport } from './otlp-transport.js';
export type { OtlpTransportStreamOptions } from './otlp-transport.js';
export type {
  OtlpProtocol,
  OtlpTransportOptions,
  QueueFullPolicy,
} from '../otlp/otlp-transport-options.js';
