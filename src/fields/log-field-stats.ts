/** How often log fields were set, and what was left out of them, since the process started. */
export interface LogFieldStats {
  /** Calls of `withLogFields` / `setLogFields` (and the middleware's `logFieldHeaders`). */
  readonly scopes: number;
  /** Fields left out, by reason. */
  readonly dropped: {
    /** Fields given as something other than an object: calls that set nothing. */
    readonly invalidFields: number;
    /** Names empty or longer than 128 characters. */
    readonly invalidName: number;
    /** Core or trace field names (`level`, `msg`, `trace_id`, …). */
    readonly reservedName: number;
    /** Values other than a string, a finite number or a boolean. */
    readonly invalidValue: number;
    /** Fields past the 32 a scope holds. */
    readonly overLimit: number;
    /**
     * Request header values the middleware's `logFieldHeaders` skipped: longer than 1024
     * characters, or holding characters other than printable ASCII.
     */
    readonly invalidHeaderValue: number;
    /**
     * Fields a logger left out of a line because its own options write that name (a custom
     * profile's trace field, the `requestId` field, an allow-listed baggage key): one per
     * field and line.
     */
    readonly shadowed: number;
  };
  /** String values cut to 1024 characters. */
  readonly truncated: number;
}

type Counter = 'scopes' | 'truncated' | keyof LogFieldStats['dropped'];
type Counts = Record<Counter, number>;

// On globalThis under a Symbol.for key: the ESM and CommonJS builds count into one place.
const SLOT = Symbol.for('tracelink.log-field-counts');
const holder = globalThis as { [SLOT]?: Counts };
const counts: Counts = (holder[SLOT] ??= {
  scopes: 0,
  truncated: 0,
  invalidFields: 0,
  invalidName: 0,
  reservedName: 0,
  invalidValue: 0,
  overLimit: 0,
  invalidHeaderValue: 0,
  shadowed: 0,
});

/** Adds one to a log field counter. */
export function countLogField(counter: Counter): void {
  counts[counter]++;
}

/**
 * The log field counts since the process started: scopes made, fields left out by reason,
 * values cut. A snapshot; never throws.
 *
 * @example
 * ```ts
 * import { logFieldStats } from 'tracelink';
 *
 * setInterval(() => metrics.gauge('log_fields_dropped', logFieldStats().dropped.invalidValue), 60_000);
 * ```
 */
export function logFieldStats(): LogFieldStats {
  return {
    scopes: counts.scopes,
    dropped: {
      invalidFields: counts.invalidFields,
      invalidName: counts.invalidName,
      reservedName: counts.reservedName,
      invalidValue: counts.invalidValue,
      overLimit: counts.overLimit,
      invalidHeaderValue: counts.invalidHeaderValue,
      shadowed: counts.shadowed,
    },
    truncated: counts.truncated,
  };
}
