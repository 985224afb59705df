import type { buildPinoOtlpTransport } from './pino-otlp-transport.js';
import type { PinoOtlpTransportOptions } from './pino-otlp-transport-options.js';

export { exitOnSignals } from '../exit-on-signals.js';
export { closePinoTransport } from './close-pino-transport.js';
export { validatePinoOtlpOptions } from './pino-otlp-transport-options.js';
export type { PinoOtlpTransportOptions } from './pino-otlp-transport-options.js';
export type { OtlpExportOptions, OtlpProtocol, QueueFullPolicy } from '../options/otlp-options.js';

/**
 * The pino transport: pino runs it in its worker thread, where it reads pino's lines and ships
 * each as an OTLP log record. Name it as a target, alone or among other `targets`; the worker
 * side loads on first call, so importing this entry point on the app's thread (for
 * `exitOnSignals`, `validatePinoOtlpOptions`, `closePinoTransport` or the option types) loads
 * no exporter.
 *
 * @example
 * ```ts
 * const logger = pino({ mixin: pinoMixin() }, pino.transport({
 *   target: 'tracelink/pino-transport',
 *   options: { endpoint: 'http://localhost:4318/v1/logs', serviceName: 'checkout' },
 * }));
 * ```
 */
export async function pinoOtlpTransport(
  options: PinoOtlpTransportOptions = {},
): Promise<Awaited<ReturnType<typeof buildPinoOtlpTransport>>> {
  const worker = await import('./pino-otlp-transport.js');
  return worker.buildPinoOtlpTransport(options);
}

// pino loads a transport target's default export.
export default pinoOtlpTransport;
