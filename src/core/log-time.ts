/**
 * Where a record held back by a trace buffer keeps the time of its log call (ms since the
 * epoch), so a transport that stamps records without a `timestamp` of their own writes that
 * time, not the later time the record was released. `Symbol.for`, so the ESM and CommonJS
 * builds (and the OTLP transports) agree.
 */
export const LOG_TIME: unique symbol = Symbol.for('tracelink.log-time') as never;

/**
 * The time of the log call stored on `record` by a trace buffer, or `undefined` — also for
 * anything that is not an object, or whose property read throws (a hostile Proxy). Never
 * throws.
 *
 * @example
 * ```ts
 * const now = logTimeOf(info) ?? Date.now();
 * ```
 */
export function logTimeOf(record: unknown): number | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  try {
    const time = (record as { [LOG_TIME]?: unknown })[LOG_TIME];
    return typeof time === 'number' ? time : undefined;
  } catch {
    return undefined;
  }
}
