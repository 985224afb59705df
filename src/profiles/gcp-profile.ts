import type { FieldProfile } from './field-profile.js';

/**
 * Google Cloud Logging's special JSON fields, which the logging agent lifts into the
 * LogEntry: `logging.googleapis.com/trace` must be the trace's full resource name
 * (`projects/<projectId>/traces/<traceId>`), `spanId` the hex span id, `trace_sampled` a boolean.
 */
export function gcpProfile(projectId: string): FieldProfile {
  const prefix = `projects/${projectId}/traces/`;
  return {
    name: 'gcp',
    keys: [
      'logging.googleapis.com/trace',
      'logging.googleapis.com/spanId',
      'logging.googleapis.com/trace_sampled',
    ],
    values: (sc) => [
      prefix + sc.traceId,
      sc.spanId,
      // traceFlags is a bit field: SAMPLED is one bit of it, not one of its values.
      (sc.traceFlags & 1) === 1,
    ],
    copy: (f) => ({
      'logging.googleapis.com/trace': f['logging.googleapis.com/trace'],
      'logging.googleapis.com/spanId': f['logging.googleapis.com/spanId'],
      'logging.googleapis.com/trace_sampled': f['logging.googleapis.com/trace_sampled'],
    }),
  };
}
