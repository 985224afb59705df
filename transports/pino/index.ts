import type { buildPinoOtlpTransport } from './pino-otlp-transport.js';
import type { PinoOtlpTransportOptions } from './pino-otlp-transport-options.js';
import { WorkerStatsView, emptyStats } from '../transport-stats.js';
import type { TransportStats, WorkerStream } from '../transport-stats.js';

export { exitOnSignals } from '../exit-on-signals.js';
export { closePinoTransport } from './close-pino-transport.js';
export { validatePinoOtlpOptions } from './pino-otlp-transport-options.js';
export type { PinoOtlpTransportOptions } from './pino-otlp-transport-options.js';
export type {
  OtlpExportOptions,
  OtlpProtocol,
  QueueFullPolicy,
  SpoolOptions,
} from '../options/otlp-options.js';
export type { DropReason, TransportStats } from '../transport-stats.js';

const views = new WeakMap<object, WorkerStatsView>();

/**
 * The delivery counts of the tracelink transport in a pino transport's worker, read on the
 * app's thread at any time: received, delivered, in flight, buffered, dropped by reason,
 * whether exports are failing and the last error. `transport` is what `pino.transport()`
 * returned (with `target` or `targets`; several tracelink targets in it are summed). The
 * worker shares its counters through memory: a call costs no message and no work in the
 * worker. The first call asks the worker for them, so until its answer — or, called right
 * after `pino.transport()`, until the worker has started — every count is 0.
 *
 * @example
 * ```ts
 * import { pinoTransportStats } from 'tracelink/pino-transport';
 *
 * const transport = pino.transport({ target: 'tracelink/pino-transport', options });
 * const logger = pino(transport);
 * pinoTransportStats(transport); // start watching now
 * app.get('/healthz', (req, res) => res.json({ logs: pinoTransportStats(transport) }));
 * ```
 */
export function pinoTransportStats(transport: object): TransportStats {
  let view = views.get(transport);
  if (view === undefined) {
    const stream = transport as Partial<WorkerStream>;
    if (typeof stream.on !== 'function' || typeof stream.emit !== 'function') return emptyStats();
    view = new WorkerStatsView(stream as WorkerStream);
    views.set(transport, view);
  }
  return view.read();
}

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
