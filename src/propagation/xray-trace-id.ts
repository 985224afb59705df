import { propagation } from '@opentelemetry/api';
import { reportProblem } from '../core/report-problem.js';

// @opentelemetry/propagator-aws-xray's AWSXRAY_TRACE_ID_HEADER, written here so that starting a
// trace does not load that package.
const AWSXRAY_TRACE_ID_HEADER = 'x-amzn-trace-id';

/**
 * `id` (a random trace id) with its first 8 hex digits replaced by the current epoch second,
 * as X-Ray trace ids are made, when the global propagator writes the X-Ray header: X-Ray reads
 * those digits as the trace's start time and rejects ids that are not recent. Other ids are
 * returned unchanged. The other 24 digits stay random, more than W3C Trace Context Level 2's
 * random-trace-id flag asks (the rightmost 7 bytes). Never throws.
 *
 * @example
 * ```ts
 * const traceId = xrayTimedTraceId(newTraceId()); // '6a1f3c2b…' with xray among the propagators
 * ```
 */
export function xrayTimedTraceId(id: string, nowMs: number = Date.now()): string {
  if (!writesXRayHeader()) return id;
  const seconds = Math.floor(nowMs / 1000) >>> 0;
  return seconds.toString(16).padStart(8, '0') + id.slice(8);
}

function writesXRayHeader(): boolean {
  try {
    return propagation.fields().includes(AWSXRAY_TRACE_ID_HEADER);
  } catch (error) {
    reportProblem('reading the propagator fields', 'made a random trace id', error);
    return false;
  }
}
