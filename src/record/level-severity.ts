import type { SeverityNumber } from '@opentelemetry/api-logs';

/**
 * The two severity fields of a record, computed once per level when the mapping is resolved.
 *
 * @example
 * ```ts
 * const info: LevelSeverity = { severityNumber: SeverityNumber.INFO, severityText: 'info' };
 * ```
 */
export interface LevelSeverity {
  readonly severityNumber: SeverityNumber;
  /** The level's own name (`info`, `audit`), or a pino level number as a string. */
  readonly severityText: string;
}
