import type { DiagLogger } from '@opentelemetry/api';

/**
 * A diag logger that keeps every `warn` message in `warnings` and drops the rest:
 * `diag.setLogger(warningsLogger(warnings))`.
 */
export function warningsLogger(warnings: string[]): DiagLogger {
  return {
    error: () => undefined,
    warn: (message: string) => void warnings.push(message),
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  };
}
