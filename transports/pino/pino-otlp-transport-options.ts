import type { SeverityNumber } from '@opentelemetry/api-logs';
import type { OtlpExportOptions } from '../options/otlp-options.js';

/**
 * Options of the pino transport: the OTLP options plus how pino's lines are read. pino's
 * own configuration (custom levels, `messageKey`, `errorKey`) is taken from the logger.
 */
export interface PinoOtlpTransportOptions extends OtlpExportOptions {
  /** Severity for level names, over the default placement. @default {} */
  readonly severityOverrides?: Readonly<Record<string, SeverityNumber>>;
  /** Nested objects as dotted attribute keys (`a.b.c`) instead of maps. @default false */
  readonly flattenAttributes?: boolean;
}
