import type { AttributeValue } from '@opentelemetry/api';
import { InvalidOptionError } from '../../src/options-error.js';
import type {
  OtlpProtocol,
  OtlpTransportOptions,
  QueueFullPolicy,
} from './otlp-transport-options.js';
import { envBoolean, envString, positiveNumber } from './read-otel-env.js';

/** {@link OtlpTransportOptions} resolved: `user ?? env ?? spec default`, validated once. */
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
  options: OtlpTransportOptions = {},
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
    whenFull: oneOf(options.whenFull, 'whenFull', ['wait', 'drop'] as const) ?? 'wait',
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
