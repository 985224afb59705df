import type { AttributeValue } from '@opentelemetry/api';
import { InvalidOptionError } from '../../src/core/invalid-option-error.js';
import type { OtlpProtocol, OtlpExportOptions, QueueFullPolicy } from './otlp-options.js';

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

/** {@link OtlpExportOptions} resolved: `user ?? env ?? spec default`, validated once. */
export interface ResolvedOtlpOptions {
  /** Only what the user gave: the official exporters apply the environment themselves. */
  readonly endpoint: string | undefined;
  readonly protocol: OtlpProtocol;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly compression: 'gzip' | 'none' | undefined;
  readonly timeoutMillis: number | undefined;
  readonly serviceName: string | undefined;
  readonly resource: Readonly<Record<string, AttributeValue>>;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly maxExportBatchBytes: number;
  readonly scheduledDelayMillis: number;
  readonly maxConcurrentExports: number;
  readonly maxBufferedBytes: number;
  readonly whenFull: QueueFullPolicy;
  readonly exitBudgetMillis: number;
  readonly exporter: 'otlp' | 'console' | 'none';
  readonly disabled: boolean;
}

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];
// Below the collector's default limits, with room for the request's resource and scope: an
// OTLP/gRPC message of 4 MiB (4,194,304 bytes), an OTLP/HTTP body of 20 MiB.
const DEFAULT_MAX_EXPORT_BATCH_BYTES = 4_000_000;
const EXPORTERS = ['otlp', 'console', 'none'] as const;

/**
 * Resolves the transport options. Invalid options throw {@link InvalidOptionError}; invalid
 * environment values fall back to the defaults, as the OpenTelemetry SDKs do.
 */
export function resolveOtlpOptions(
  options: OtlpExportOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOtlpOptions {
  const maxQueueSize = positiveNumber(
    options.maxQueueSize,
    'maxQueueSize',
    env,
    'OTEL_BLRP_MAX_QUEUE_SIZE',
    2048,
  );
  // The spec: a batch larger than the queue is capped to it.
  const maxExportBatchSize = Math.min(
    maxQueueSize,
    positiveNumber(
      options.maxExportBatchSize,
      'maxExportBatchSize',
      env,
      'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
      512,
    ),
  );
  return {
    endpoint: optionalString(options.endpoint, 'endpoint'),
    protocol: resolveProtocol(options.protocol, env),
    headers: options.headers,
    compression: oneOf(options.compression, 'compression', ['gzip', 'none'] as const),
    timeoutMillis:
      options.timeoutMillis === undefined
        ? undefined
        : positiveNumber(options.timeoutMillis, 'timeoutMillis', env, undefined, 10_000),
    serviceName: optionalString(options.serviceName, 'serviceName'),
    resource: options.resource ?? {},
    maxQueueSize,
    maxExportBatchSize,
    maxExportBatchBytes: positiveNumber(
      options.maxExportBatchBytes,
      'maxExportBatchBytes',
      env,
      undefined,
      DEFAULT_MAX_EXPORT_BATCH_BYTES,
    ),
    scheduledDelayMillis: positiveNumber(
      options.scheduledDelayMillis,
      'scheduledDelayMillis',
      env,
      'OTEL_BLRP_SCHEDULE_DELAY',
      1000,
    ),
    maxConcurrentExports: positiveNumber(
      options.maxConcurrentExports,
      'maxConcurrentExports',
      env,
      undefined,
      2,
    ),
    maxBufferedBytes: positiveNumber(
      options.maxBufferedBytes,
      'maxBufferedBytes',
      env,
      undefined,
      32 * 1024 * 1024,
    ),
    whenFull: oneOf(options.whenFull, 'whenFull', ['wait', 'drop'] as const) ?? 'drop',
    exitBudgetMillis: positiveNumber(
      options.exitBudgetMillis,
      'exitBudgetMillis',
      env,
      undefined,
      5000,
    ),
    exporter: resolveExporter(options.exporter, env),
    disabled: options.disabled ?? envBoolean(env, 'OTEL_SDK_DISABLED'),
  };
}

function resolveProtocol(option: OtlpProtocol | undefined, env: NodeJS.ProcessEnv): OtlpProtocol {
  if (option !== undefined) return oneOf(option, 'protocol', PROTOCOLS) as OtlpProtocol;
  const fromEnv =
    envString(env, 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL') ??
    envString(env, 'OTEL_EXPORTER_OTLP_PROTOCOL');
  return PROTOCOLS.find((p) => p === fromEnv) ?? 'http/protobuf';
}

function resolveExporter(
  option: string | undefined,
  env: NodeJS.ProcessEnv,
): 'otlp' | 'console' | 'none' {
  if (option !== undefined)
    return oneOf(option, 'exporter', EXPORTERS) as 'otlp' | 'console' | 'none';
  // OTEL_LOGS_EXPORTER is a list; the transports ship to one destination: the first known one.
  const listed = (envString(env, 'OTEL_LOGS_EXPORTER') ?? 'otlp').split(',').map((s) => s.trim());
  return (
    EXPORTERS.find(
      (e) => e === listed.find((name) => (EXPORTERS as readonly string[]).includes(name)),
    ) ?? 'otlp'
  );
}

function oneOf<T extends string>(
  value: unknown,
  name: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  throw new InvalidOptionError(name, allowed.map((a) => `'${a}'`).join(' or '), value);
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new InvalidOptionError(name, 'a non-empty string', value);
}

/**
 * Whether the records go out as OTLP protobuf (`http/protobuf` or `grpc`), through
 * `createProtobufLogExporter` — which also takes records that came encoded — rather than as
 * OTLP/JSON or to the console or none exporter. Its own module: the winston transport asks on
 * the logging thread, which must not load the exporters.
 *
 * @example
 * ```ts
 * isProtobufExport(resolveOtlpOptions({ protocol: 'grpc' })); // true
 * ```
 */
export function isProtobufExport(options: ResolvedOtlpOptions): boolean {
  return options.exporter === 'otlp' && options.protocol !== 'http/json';
}
