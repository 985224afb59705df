/**
 * Where a pino line holds its level when a formatter renamed pino's `level` key: Google
 * Cloud's structured logging writes `severity` (`formatters.level: (label) => ({ severity:
 * label.toUpperCase() })`), Elastic's ECS format `log.level`. pino's own key wins; the others
 * count only when it is absent, and only holding a string (a name).
 *
 * @example
 * ```ts
 * levelKeyOf(undefined, 'ERROR', undefined); // 'severity'
 * levelKeyOf(30, 'ERROR', undefined); // 'level'
 * ```
 */
export function levelKeyOf(
  level: unknown,
  severity: unknown,
  logLevel: unknown,
): 'level' | 'severity' | 'log.level' {
  if (level !== undefined) return 'level';
  if (typeof severity === 'string') return 'severity';
  if (typeof logLevel === 'string') return 'log.level';
  return 'level';
}

/**
 * Where a pino line holds its time when a `timestamp` function wrote it under another key than
 * pino's `time`: `timestamp` (Google Cloud's structured logging: ISO, or `{ seconds, nanos }`)
 * or `@timestamp` (Elastic's ECS format). pino's own key wins; the others count only when it
 * is absent.
 *
 * @example
 * ```ts
 * timeKeyOf(undefined, undefined, '2026-11-22T08:00:00.000Z'); // '@timestamp'
 * ```
 */
export function timeKeyOf(
  time: unknown,
  timestamp: unknown,
  atTimestamp: unknown,
): 'time' | 'timestamp' | '@timestamp' {
  if (time !== undefined) return 'time';
  if (timestamp !== undefined) return 'timestamp';
  if (atTimestamp !== undefined) return '@timestamp';
  return 'time';
}
