import type { Context } from '@opentelemetry/api';

/**
 * Where `captureTraceContext` stores the context that was active at the log call, on the
 * record itself. `Symbol.for`, so the ESM and CommonJS builds (and the OTLP transports) agree.
 */
export const CAPTURED_CONTEXT: unique symbol = Symbol.for('tracelink.captured-context') as never;

/** A record that may carry the context captured at its log call. */
export interface ContextCarrier {
  [CAPTURED_CONTEXT]?: Context;
}

/** The context captured for `record` at its log call, if any. */
export function capturedContextOf(record: object): Context | undefined {
  return (record as ContextCarrier)[CAPTURED_CONTEXT];
}
