import { InvalidOptionError } from '../../src/options-error.js';

/** A trimmed environment variable, or `undefined` when unset or blank. */
export function envString(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * A positive number from an option or an environment variable. An invalid option throws
 * (it is the caller's code); an invalid variable is ignored with a `diag`-free fallback to
 * the default, as the OpenTelemetry SDKs treat environment variables.
 */
export function positiveNumber(
  option: number | undefined,
  optionName: string,
  env: NodeJS.ProcessEnv,
  envName: string | undefined,
  fallback: number,
): number {
  if (option !== undefined) {
    if (typeof option === 'number' && Number.isFinite(option) && option > 0) return option;
    throw new InvalidOptionError(optionName, 'a positive number', option);
  }
  const raw = envName === undefined ? undefined : envString(env, envName);
  const parsed = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

/** `OTEL_SDK_DISABLED` and friends: only the string `true` (any case) is true. */
export function envBoolean(env: NodeJS.ProcessEnv, name: string): boolean {
  return envString(env, name)?.toLowerCase() === 'true';
}
