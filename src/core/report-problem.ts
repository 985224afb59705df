import { diag } from '@opentelemetry/api';

// A broken input tends to repeat on every line; reporting each one would flood the diag
// logger, reporting none would be a silent loss. First occurrence, then every 1000th.
const REPORT_EVERY = 1000;
const counts = new Map<string, number>();

/**
 * Reports a problem on the logging path through the OpenTelemetry `diag` logger, which the
 * application controls (`diag.setLogger`, `OTEL_LOG_LEVEL`). Never throws.
 */
export function reportProblem(where: string, outcome: string, error?: unknown): void {
  try {
    const count = (counts.get(where) ?? 0) + 1;
    counts.set(where, count);
    if (count === 1 || count % REPORT_EVERY === 0) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      diag.warn(`tracelink: ${where} failed (${count}x); ${outcome}`, detail);
    }
  } catch {
    // The application's own diag logger threw: nothing more can be done without throwing.
  }
}
