import { diag } from '@opentelemetry/api';
import { writeStderrLine } from '../../stderr.js';
import type { DeliveryStats } from './delivery-stats.js';

/**
 * Reports, on stderr (which the operator sees) and through `diag` (which the app may route),
 * the records a pipeline did not deliver — nothing when none was lost —, and what is likely
 * of those still in flight: one line for the loss, one for the in-flight ones.
 *
 * @example
 * ```ts
 * reportLoss(stats, 'http://collector:4318/v1/logs');
 * // tracelink: 12 of 1000 log records were not delivered to http://collector:4318/v1/logs (12 undelivered-at-exit); …
 * ```
 */
export function reportLoss(stats: DeliveryStats, destination: string): void {
  const summary = stats.lossSummary(destination);
  if (summary === undefined) return;
  report(summary, 'error');
  const inFlight = stats.dropped['in-flight-at-exit'];
  if (inFlight > 0) {
    // Whether they arrived, only the collector knows; what the transport last saw says
    // which is likelier.
    const likely = stats.failing
      ? `exports were failing (${stats.lastError ?? 'no answer'}), so they most ` +
        'likely did not arrive'
      : 'they may have arrived';
    report(
      `tracelink: the ${inFlight} in-flight-at-exit records were in requests ` +
        `${destination} had not answered when the exit budget ended; ${likely}`,
      'warn',
    );
  }
}

function report(line: string, level: 'error' | 'warn'): void {
  writeStderrLine(line);
  diag[level](line);
}
