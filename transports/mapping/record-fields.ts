import { readOwn } from './safe-values.js';

/** pino's level key, then the keys formatters rename it to: Google Cloud's, ECS's. */
export const LEVEL_KEYS = ['level', 'severity', 'log.level'] as const;
/** pino's time key, then the keys `timestamp` functions write instead: Google Cloud's, ECS's. */
export const TIME_KEYS = ['time', 'timestamp', '@timestamp'] as const;

type Keys<K> = readonly [K, K, K];

/** The first of `keys` to read: pino's own when it is there, else the first renamed one `accepts`. */
function firstKey<K>(
  keys: Keys<K>,
  own: unknown,
  renamed: unknown,
  renamedAgain: unknown,
  accepts: (value: unknown) => boolean,
): K {
  if (own !== undefined) return keys[0];
  if (accepts(renamed)) return keys[1];
  if (accepts(renamedAgain)) return keys[2];
  return keys[0];
}

const isName = (value: unknown): boolean => typeof value === 'string';
const isThere = (value: unknown): boolean => value !== undefined;

/**
 * Where a pino line holds its level when a formatter renamed pino's `level` key: Google
 * Cloud's structured logging writes `severity` (`formatters.level: (label) => ({ severity:
 * label.toUpperCase() })`), Elastic's ECS format `log.level`. pino's own key wins; the others
 * count only when it is absent, and only holding a string (a name). Takes the three fields'
 * values, in {@link LEVEL_KEYS} order.
 *
 * @example
 * ```ts
 * levelKeyOf(undefined, 'ERROR', undefined); // 'severity'
 * levelKeyOf(30, 'ERROR', undefined); // 'level'
 * ```
 */
export function levelKeyOf(level: unknown, severity: unknown, logLevel: unknown) {
  return firstKey(LEVEL_KEYS, level, severity, logLevel, isName);
}

/**
 * Where a pino line holds its time when a `timestamp` function wrote it under another key than
 * pino's `time`: `timestamp` (Google Cloud's structured logging: ISO, or `{ seconds, nanos }`)
 * or `@timestamp` (Elastic's ECS format). pino's own key wins; the others count only when it
 * is absent. Takes the three fields' values, in {@link TIME_KEYS} order.
 *
 * @example
 * ```ts
 * timeKeyOf(undefined, undefined, '2026-11-22T08:00:00.000Z'); // '@timestamp'
 * ```
 */
export function timeKeyOf(time: unknown, timestamp: unknown, atTimestamp: unknown) {
  return firstKey(TIME_KEYS, time, timestamp, atTimestamp, isThere);
}

// Epoch numbers below this are seconds, at or above it milliseconds: 1e11 ms is March 1973,
// 1e11 s is the year 5138, so neither reading of a real log time is ambiguous.
const SECONDS_BELOW = 1e11;
// The largest time a Date can hold (ECMAScript: ±8.64e15 ms around the epoch).
const MAX_EPOCH_MS = 8.64e15;
const EPOCH_NUMBER = /^-?\d+(?:\.\d+)?$/;
// Fraction digits beyond milliseconds (pino's isoTimeNano writes nine); Date.parse drops them.
const SUB_MILLISECOND = /T\d{2}:\d{2}:\d{2}\.\d{3}(\d+)/;

/**
 * Reads a log record's time as epoch milliseconds (fractional below a millisecond), or
 * `undefined` when it cannot be read. Accepted:
 * - a number ≥ 1e11: epoch milliseconds (pino's default `epochTime`, winston's `Date.now()`);
 * - a number < 1e11: epoch seconds (pino's `unixTime`), times 1000;
 * - a string of digits: the same, as a number;
 * - a `Date` (a custom winston format's `info.timestamp = new Date()`): its time;
 * - any other string `Date.parse` reads: ISO 8601 (pino's `isoTime` and `isoTimeNano`,
 *   winston's `format.timestamp()`), keeping digits beyond the millisecond;
 * - `{ seconds, nanos }` (numbers; `nanos` may be left out): Google Cloud's structured
 *   logging timestamp.
 *
 * Anything else — `NaN`, `Infinity`, an unparseable string, an invalid Date, another object,
 * a time outside what a `Date` can hold — is `undefined`: the caller then uses the observed time.
 *
 * @example
 * ```ts
 * readTimestamp(1700000000); // 1700000000000
 * readTimestamp('2023-11-14T22:13:20.000500000Z'); // 1700000000000.5
 * ```
 */
export function readTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') return fromEpoch(value);
  // A custom winston format may set `info.timestamp = new Date()`.
  if (value instanceof Date) return fromEpoch(value.getTime());
  if (typeof value === 'object' && value !== null) return fromSecondsAndNanos(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (EPOCH_NUMBER.test(text)) return fromEpoch(Number(text));
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  const fraction = SUB_MILLISECOND.exec(text)?.[1];
  if (fraction === undefined) return ms;
  // Added also before 1970: the digits count up from the millisecond Date.parse read.
  return ms + Number(`0.${fraction}`);
}

// Google Cloud's LogEntry timestamp as its structured logging writes it: { seconds, nanos }.
function fromSecondsAndNanos(value: object): number | undefined {
  const seconds = readOwn(value, 'seconds');
  const nanos = readOwn(value, 'nanos') ?? 0;
  if (typeof seconds !== 'number' || typeof nanos !== 'number') return undefined;
  const ms = seconds * 1000 + nanos / 1e6;
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_EPOCH_MS ? ms : undefined;
}

function fromEpoch(value: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  const ms = Math.abs(value) < SECONDS_BELOW ? value * 1000 : value;
  return Math.abs(ms) <= MAX_EPOCH_MS ? ms : undefined;
}
