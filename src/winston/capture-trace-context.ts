import type { Logger } from 'winston';
import { context } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { CAPTURED_CONTEXT, capturedContextOf } from '../core/captured-context.js';
import type { ContextCarrier } from '../core/captured-context.js';
import { InvalidOptionError } from '../core/invalid-option-error.js';

const CAPTURING = Symbol.for('tracelink.capturing-logger');

type Write = (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
interface CapturingLogger {
  write: Write;
  [CAPTURING]?: true;
}

/**
 * Makes `logger` record the OpenTelemetry context active at each log call on the record, so
 * that `traceFormat`, `traceJson` and the OTLP transport stamp the ids of the call's own span.
 * winston formats run inside its stream pipeline: behind a slow transport, records are
 * buffered and formatted later, under whatever context is active then. Every level method,
 * `log()` and every child logger ends in this logger's `write()`, which runs synchronously
 * in the log call: that is where the context is captured. Returns the same logger; calling
 * it twice is harmless. Only this instance is changed, nothing global.
 *
 * @throws {InvalidOptionError} when `logger` is not a winston logger (no `write` method).
 * @example
 * ```ts
 * import winston from 'winston';
 * import { captureTraceContext, traceFormat } from 'tracelink/winston';
 *
 * const logger = captureTraceContext(
 *   winston.createLogger({ format: winston.format.combine(traceFormat(), winston.format.json()) }),
 * );
 * ```
 */
export function captureTraceContext<L extends Logger>(logger: L): L {
  const capturing = logger as unknown as CapturingLogger | null;
  if (
    typeof capturing !== 'object' ||
    capturing === null ||
    typeof capturing.write !== 'function'
  ) {
    throw new InvalidOptionError('logger', 'a winston logger', logger);
  }
  if (capturing[CAPTURING] === true) return logger;
  const write = capturing.write;
  capturing.write = function writeWithContext(this: unknown, chunk, encoding, callback) {
    // winston itself writes level symbols onto every record, so a record here is extensible.
    if (typeof chunk === 'object' && chunk !== null) {
      (chunk as ContextCarrier)[CAPTURED_CONTEXT] = context.active();
    }
    return write.call(this, chunk, encoding, callback);
  };
  capturing[CAPTURING] = true;
  return logger;
}

/**
 * The context a record's fields come from: the one captured at the log call by
 * `captureTraceContext`, else the one active now (right only when nothing was buffered).
 */
export function contextOfRecord(info: object): Context {
  return capturedContextOf(info) ?? context.active();
}
