import type { FieldProfile } from './field-profile.js';

/**
 * Elastic Common Schema: `trace.id` and `span.id`, as flat dotted keys — the form ECS logging
 * libraries write and Elasticsearch expands. ECS has no field for the trace flags.
 */
export const ECS_PROFILE: FieldProfile = {
  name: 'ecs',
  keys: ['trace.id', 'span.id'],
  values: (sc) => [sc.traceId, sc.spanId],
  copy: (f) => ({ 'trace.id': f['trace.id'], 'span.id': f['span.id'] }),
};
