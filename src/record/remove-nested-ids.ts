import type { AnyValueMap } from '@opentelemetry/api-logs';
import { isAnyValueMap } from './any-value-map.js';

/**
 * Takes ECS's nested `trace.id` and `span.id` out of mapped attributes once they became the
 * record's span context; a `trace` or `span` map left empty goes too, other fields in them
 * (`trace.origin`) stay.
 *
 * @example
 * ```ts
 * const attributes = { trace: { id: '4bf9…' }, span: { id: '00f0…', kind: 'db' } };
 * removeNestedIds(attributes); // attributes is now { span: { kind: 'db' } }
 * ```
 */
export function removeNestedIds(attributes: AnyValueMap): void {
  for (const key of ['trace', 'span']) {
    const map = attributes[key];
    if (!isAnyValueMap(map)) continue;
    delete map.id;
    if (Object.keys(map).length === 0) delete attributes[key];
  }
}
