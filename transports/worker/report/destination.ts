import { envString } from '../../options/resolve-otlp-options.js';
import type { ResolvedOtlpOptions } from '../../options/resolve-otlp-options.js';
import { redactCredentials } from '../../stderr.js';

/**
 * Where the records go, for reports, credentials redacted: the `endpoint` option, else the
 * URL the exporter takes from the environment — as otlp-exporter-base 0.223 reads it:
 * `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT` as it is, else `OTEL_EXPORTER_OTLP_ENDPOINT` with
 * `/v1/logs` appended (gRPC: as it is), else the default — or the exporter's name.
 *
 * @example
 * ```ts
 * destinationOf(resolveOtlpOptions({ endpoint: 'https://u:p@collector/v1/logs' }));
 * // 'https://REDACTED@collector/v1/logs'
 * ```
 */
export function destinationOf(
  options: ResolvedOtlpOptions,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (options.exporter !== 'otlp') return `the ${options.exporter} exporter`;
  return redactCredentials(options.endpoint ?? endpointFromEnv(options.protocol === 'grpc', env));
}

function endpointFromEnv(grpc: boolean, env: NodeJS.ProcessEnv): string {
  const specific = envString(env, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT');
  const general = envString(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (grpc) return specific ?? general ?? 'http://localhost:4317';
  if (specific !== undefined) return specific;
  if (general !== undefined) return `${general.endsWith('/') ? general : `${general}/`}v1/logs`;
  return 'http://localhost:4318/v1/logs';
}
