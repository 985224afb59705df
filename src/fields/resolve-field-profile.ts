import type { SpanContext } from '@opentelemetry/api';
import { formatTraceFlags } from '../core/span-context.js';
import type {
  CustomFieldNames,
  FieldProfile,
  FieldValue,
  TraceFieldOptions,
} from './field-profile.js';
import { InvalidOptionError } from '../core/invalid-option-error.js';
import {
  CAMEL_PROFILE,
  datadogProfile,
  ECS_PROFILE,
  gcpProfile,
  OTEL_PROFILE,
} from './builtin-profiles.js';

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

const PROFILE_NAMES = "'otel', 'camel', 'ecs', 'datadog', 'gcp' or { traceId, spanId, traceFlags }";

/**
 * Turns the `fields` option (and the profile-specific options) into a profile, validating
 * everything once. Throws {@link InvalidOptionError} on anything it cannot use.
 */
export function resolveFieldProfile(
  options: TraceFieldOptions,
  env: NodeJS.ProcessEnv = process.env,
): FieldProfile {
  const fields = options.fields ?? 'otel';
  switch (fields) {
    case 'otel':
      return OTEL_PROFILE;
    case 'camel':
      return CAMEL_PROFILE;
    case 'ecs':
      return ECS_PROFILE;
    case 'datadog':
      return datadogProfile(resolveDatadogTraceId(options.datadogTraceId));
    case 'gcp':
      return gcpProfile(resolveGcpProjectId(options.gcpProjectId ?? env.GOOGLE_CLOUD_PROJECT));
    default:
      if (typeof fields === 'object' && fields !== null && !Array.isArray(fields)) {
        return customProfile(validateCustomNames(fields));
      }
      throw new InvalidOptionError('fields', PROFILE_NAMES, fields);
  }
}

function resolveDatadogTraceId(value: unknown): 'decimal' | 'hex128' {
  if (value === undefined || value === 'decimal' || value === 'hex128') return value ?? 'decimal';
  throw new InvalidOptionError('datadogTraceId', "'decimal' or 'hex128'", value);
}

function resolveGcpProjectId(value: unknown): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  throw new InvalidOptionError(
    'gcpProjectId',
    'a Google Cloud project id (option or GOOGLE_CLOUD_PROJECT) for the gcp profile',
    value,
  );
}

function validateCustomNames(names: CustomFieldNames): CustomFieldNames {
  const given = Object.entries(names);
  const seen = new Set<string>();
  for (const [part, key] of given) {
    if (part !== 'traceId' && part !== 'spanId' && part !== 'traceFlags') {
      throw new InvalidOptionError(`fields.${part}`, 'only traceId, spanId and traceFlags', key);
    }
    if (key === undefined) continue;
    if (typeof key !== 'string' || key === '') {
      throw new InvalidOptionError(`fields.${part}`, 'a non-empty string', key);
    }
    if (seen.has(key)) throw new InvalidOptionError(`fields.${part}`, 'a key used once', key);
    seen.add(key);
  }
  if (seen.size === 0) {
    throw new InvalidOptionError('fields', 'at least one of traceId, spanId, traceFlags', names);
  }
  return names;
}
