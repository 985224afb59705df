import type { AttributeValue } from '@opentelemetry/api';
import type { AnyValueMap } from '@opentelemetry/api-logs';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { ResolvedOtlpOptions } from './resolve-otlp-options.js';

/**
 * The resource every record is sent with, lowest precedence first: the SDK's defaults
 * (telemetry.sdk.*, a default service.name), what the records say about their process
 * (pino's hostname and pid, as host.name and process.pid), OTEL_RESOURCE_ATTRIBUTES and
 * OTEL_SERVICE_NAME, then the `resource` and `serviceName` options.
 */
export function createResource(options: ResolvedOtlpOptions, fromRecords: AnyValueMap): Resource {
  const recordAttributes: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(fromRecords)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      recordAttributes[key] = value;
    }
  }
  const own: Record<string, AttributeValue> = { ...options.resource };
  if (options.serviceName !== undefined) own['service.name'] = options.serviceName;
  return defaultResource()
    .merge(resourceFromAttributes(recordAttributes))
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes(own));
}
