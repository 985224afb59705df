import type {
  CustomFieldNames,
  FieldLayout,
  FieldProfile,
  FieldProfileName,
  TraceFieldOptions,
} from './field-profile.js';
import { fieldProfile } from './field-profile.js';
import { InvalidOptionError } from '../core/invalid-option-error.js';
import {
  BUILTIN_LAYOUTS,
  CAMEL_PROFILE,
  datadogProfile,
  ECS_PROFILE,
  gcpProfile,
  OTEL_PROFILE,
  spanIdField,
  traceFlagsField,
  traceIdField,
} from './builtin-profiles.js';

/**
 * A profile with the user's own key for each field; fields without a key are not written.
 * The fields are spelled as the otel profile spells them, and read back the same way — when
 * both ids have a key.
 *
 * @example
 * ```ts
 * customProfile({ traceId: 'tid', spanId: 'sid' }).keys; // ['tid', 'sid']
 * ```
 */
export function customProfile(names: CustomFieldNames): FieldProfile {
  const { traceId, spanId, traceFlags } = names;
  return fieldProfile('custom', {
    ...(traceId === undefined ? {} : { traceId: traceIdField(traceId) }),
    ...(spanId === undefined ? {} : { spanId: spanIdField(spanId) }),
    ...(traceFlags === undefined ? {} : { traceFlags: traceFlagsField(traceFlags) }),
  });
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

// Every built-in name (the compiler checks the list against FieldProfileName).
const BUILTIN_NAMES = {
  otel: true,
  camel: true,
  ecs: true,
  datadog: true,
  gcp: true,
} as const satisfies Record<FieldProfileName, true>;

/**
 * The layouts a reader of log records tries, in order, for the `fields` option (validated as
 * {@link resolveFieldProfile} validates it): custom names first, when `fields` gives them —
 * they are what the application was told to write — then every built-in profile's, which are
 * always read (a built-in name adds nothing; no project id is needed to read GCP's fields).
 *
 * @throws {InvalidOptionError} when `fields` is neither a profile name nor valid custom names.
 * @example
 * ```ts
 * resolveFieldLayouts({ traceId: 'tid', spanId: 'sid' })[0]?.keys; // ['tid', 'sid']
 * ```
 */
export function resolveFieldLayouts(fields: unknown): readonly FieldLayout[] {
  if (fields === undefined) return BUILTIN_LAYOUTS;
  if (typeof fields === 'string' && Object.hasOwn(BUILTIN_NAMES, fields)) return BUILTIN_LAYOUTS;
  if (typeof fields === 'object' && fields !== null && !Array.isArray(fields)) {
    const custom = customProfile(validateCustomNames(fields));
    return [...custom.layouts, ...BUILTIN_LAYOUTS];
  }
  throw new InvalidOptionError('fields', PROFILE_NAMES, fields);
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
