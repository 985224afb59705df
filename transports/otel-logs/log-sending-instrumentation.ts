import { diag } from '@opentelemetry/api';

// What @opentelemetry/instrumentation-pino (0.69) and -winston (0.68) add to a logger when
// their log sending is on (their default): instrumentation-pino wraps the logger's stream in
// `pino.multistream([original, new OTelPinoStream()])`; instrumentation-winston appends
// `new OpenTelemetryTransportV3()` of @opentelemetry/winston-transport to the transports given
// to `createLogger`/`configure`. Each emits every record through `logs.getLogger()`, the same
// provider this mode emits to. The class names are what they export: read, not imported
// (neither package is a dependency). With log sending off they add nothing.
const PINO_SENDER = 'OTelPinoStream';
const WINSTON_SENDER = 'OpenTelemetryTransportV3';

function constructorName(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' ? ctor.name : undefined;
}

/**
 * The value of a pino logger's own symbol property, by the symbol's description (`pino.stream`,
 * `pino.messageKey`): pino's symbols are not global (`Symbol('pino.stream')`), and a child
 * logger inherits them from its parent. `undefined` when there is none.
 *
 * @example
 * ```ts
 * pinoSymbolValue(logger, 'pino.messageKey'); // 'msg'
 * ```
 */
export function pinoSymbolValue(logger: object, description: string): unknown {
  for (let o: object | null = logger; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    for (const symbol of Object.getOwnPropertySymbols(o)) {
      if (symbol.description === description) return (o as Record<symbol, unknown>)[symbol];
    }
  }
  return undefined;
}

/**
 * Whether instrumentation-pino's log sending is on for `logger`: its stream is a
 * multistream holding the instrumentation's `OTelPinoStream`.
 *
 * @example
 * ```ts
 * if (pinoLoggerSendsItself(destination.lastLogger)) skip();
 * ```
 */
export function pinoLoggerSendsItself(logger: object): boolean {
  const streams = (pinoSymbolValue(logger, 'pino.stream') as { streams?: unknown } | undefined)
    ?.streams;
  if (!Array.isArray(streams)) return false;
  return streams.some(
    (entry: unknown) =>
      constructorName((entry as { stream?: unknown } | null)?.stream) === PINO_SENDER,
  );
}

/**
 * Whether instrumentation-winston's log sending is on for a logger with these transports:
 * one of them is its `OpenTelemetryTransportV3`.
 *
 * @example
 * ```ts
 * winstonLoggerSendsItself(logger.transports); // true under instrumentation-winston
 * ```
 */
export function winstonLoggerSendsItself(transports: readonly unknown[]): boolean {
  return transports.some((transport) => constructorName(transport) === WINSTON_SENDER);
}

/**
 * Says, once per transport, through `diag`, that the instrumentation sends the logger's
 * records itself and this transport leaves them to it.
 *
 * @example
 * ```ts
 * reportLeftToInstrumentation('pino');
 * ```
 */
export function reportLeftToInstrumentation(logger: 'pino' | 'winston'): void {
  const option = logger === 'pino' ? 'PinoInstrumentation' : 'WinstonInstrumentation';
  diag.warn(
    `tracelink: @opentelemetry/instrumentation-${logger} already sends this ${logger} ` +
      "logger's records to the OpenTelemetry logs SDK (its log sending is on), so tracelink " +
      'does not emit them too: each would be sent twice. They are counted as ' +
      `leftToInstrumentation. To send them with tracelink's mapping instead, create the ` +
      `${option} with { disableLogSending: true }.`,
  );
}
