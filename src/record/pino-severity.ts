import { SeverityNumber } from '@opentelemetry/api-logs';

/**
 * pino's built-in levels (`pino.levels.values`); custom levels are merged onto these.
 *
 * @example
 * ```ts
 * PINO_DEFAULT_LEVELS.warn; // 40
 * ```
 */
export const PINO_DEFAULT_LEVELS: Readonly<Record<string, number>> = Object.freeze({
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
});

// pino's standard levels are 10 apart; each starts one of the data model's six ranges of
// four numbers (TRACE 1–4 … FATAL 21–24).
const PINO_STEP = 10;
const RANGE_WIDTH = 4;

/**
 * The SeverityNumber of a pino level number, placed by rank. The rule:
 * - the six standard levels start their ranges: 10 → TRACE (1), 20 → DEBUG (5),
 *   30 → INFO (9), 40 → WARN (13), 50 → ERROR (17), 60 → FATAL (21);
 * - a level between two standard levels `s` and `s + 10` lands in `s`'s range, above it, by
 *   thirds of the gap: `s`'s number + ⌈(level − s) × 3 / 10⌉, i.e. +1 for 1–3 above `s`, +2
 *   for 4–6, +3 for 7–9 (35 → INFO3, 11; 45 → WARN3, 15);
 * - above 60 the same steps reach into FATAL2–FATAL4 (61–63 → 22, 64–66 → 23, ≥ 67 → 24);
 * - at or below 10 → TRACE (1);
 * - not a finite number (pino's `silent` is `Infinity`) → UNSPECIFIED (0).
 *
 * Ranks, not names: a custom `{ notice: 35 }` sits between info and warn wherever it is
 * declared, and severity comparisons across levels stay in pino's own order.
 *
 * @example
 * ```ts
 * pinoSeverityNumber(30); // SeverityNumber.INFO (9)
 * pinoSeverityNumber(35); // SeverityNumber.INFO3 (11)
 * ```
 */
export function pinoSeverityNumber(level: number): SeverityNumber {
  if (!Number.isFinite(level)) return SeverityNumber.UNSPECIFIED;
  if (level <= PINO_STEP) return SeverityNumber.TRACE;
  // 0 = trace … 5 = fatal; every level above fatal is measured from fatal.
  const band = Math.min(Math.floor(level / PINO_STEP) - 1, 5);
  const above = level - (band + 1) * PINO_STEP;
  const steps = Math.min(Math.ceil((above * (RANGE_WIDTH - 1)) / PINO_STEP), RANGE_WIDTH - 1);
  return SeverityNumber.TRACE + band * RANGE_WIDTH + steps;
}
