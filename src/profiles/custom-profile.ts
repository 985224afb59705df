import type { SpanContext } from '@opentelemetry/api';
import { formatTraceFlags } from '../context/trace-flags-hex.js';
import type { CustomFieldNames, FieldProfile, FieldValue } from './field-profile.js';

const READERS: Record<keyof CustomFieldNames, (sc: SpanContext) => FieldValue> = {
  traceId: (sc) => sc.traceId,
  spanId: (sc) => sc.spanId,
  traceFlags: (sc) => formatTraceFlags(sc.traceFlags),
};

/** A profile with the user's own key for each field; fields without a key are not written. */
export function customProfile(names: CustomFieldNames): FieldProfile {
  const parts = (Object.keys(READERS) as (keyof CustomFieldNames)[])
    .filter((part) => names[part] !== undefined)
    .map((part) => ({ key: names[part] as string, read: READERS[part] }));
  return {
    name: 'custom',
    keys: parts.map((part) => part.key),
    values: (sc) => parts.map((part) => part.read(sc)),
  };
}
