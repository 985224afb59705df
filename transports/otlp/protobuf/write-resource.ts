import type { Resource } from '@opentelemetry/resources';
import type { ProtoWriter } from './proto-writer.js';
import { WIRE_LEN, WIRE_VARINT, tagOf } from './wire-format.js';
import { writeKeyValues } from './write-any-value.js';

// resource.proto: Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2 }.
const ATTRIBUTES = tagOf(1, WIRE_LEN);
const DROPPED_ATTRIBUTES_COUNT = tagOf(2, WIRE_VARINT);

/**
 * Writes the body of a `Resource` message: its attributes, then `dropped_attributes_count`
 * as an explicit 0 — the SDK's `Resource` counts no drops, and otlp-transformer writes the
 * zero anyway (`writeResource`), so we do too, for identical bytes.
 *
 * @example
 * ```ts
 * writeResource(writer, resourceFromAttributes({ 'service.name': 'api' }));
 * ```
 */
export function writeResource(writer: ProtoWriter, resource: Resource): void {
  const attributes = resource.attributes;
  if (attributes) writeKeyValues(writer, attributes, ATTRIBUTES);
  writer.byte(DROPPED_ATTRIBUTES_COUNT);
  writer.byte(0);
}
