import { buildLineTransport } from '../otlp/line-transport.js';
import type { OtlpTransportOptions } from '../otlp/otlp-transport-options.js';
import { fromRecordLine } from './record-line.js';

/**
 * The worker-thread half of the winston transport: reads the records the main thread mapped
 * and ships them. Loaded by thread-stream, which calls the default export.
 */
export default function otlpWorker(options: OtlpTransportOptions) {
  return buildLineTransport(options, () => fromRecordLine, false);
}
