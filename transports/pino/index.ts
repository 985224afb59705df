import { pinoTransport } from './pino-transport.js';

export { pinoTransport };
export { exitOnSignals, STOP_SIGNALS } from '../exit-on-signals.js';
export type { PinoTransportOptions } from './pino-transport-options.js';
export type {
  OtlpProtocol,
  OtlpTransportOptions,
  QueueFullPolicy,
} from '../options/otlp-options.js';

// pino loads a transport target's default export.
export default pinoTransport;
