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
