import { checkOptionNames, InvalidOptionError } from '../../src/core/invalid-option-error.js';
import type { OtlpExportOptions, OtlpProtocol } from './otlp-options.js';
import { OTLP_OPTION_NAMES, OTLP_OPTIONS } from './otlp-option-table.js';
import type { OptionSpec } from './otlp-option-table.js';

/**
 * A trimmed environment variable, or `undefined` when unset or blank.
 *
 * @example
 * ```ts
 * envString({ OTEL_LOG_LEVEL: ' debug ' }, 'OTEL_LOG_LEVEL'); // 'debug'
 * ```
 */
export function envString(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

type Table = typeof OTLP_OPTIONS;

/** What a row resolves to: its type, or `undefined` too when its default is. */
type ResolvedValue<S> = S extends { readonly check: (...args: never[]) => infer T }
  ? S extends { readonly default: undefined }
    ? T | undefined
    : T
  : never;

/**
 * {@link OtlpExportOptions} resolved: `user ?? env ?? default`, validated once (see
 * `OTLP_OPTIONS`). Options without a default (`endpoint`, `headers`, `compression`,
 * `timeoutMillis`, `serviceName`, `fields`) hold only what the user gave: the official
 * exporters and the SDK's resource apply their environment variables themselves.
 *
 * @example
 * ```ts
 * const { maxQueueSize, protocol }: ResolvedOtlpOptions = resolveOtlpOptions({});
 * ```
 */
export type ResolvedOtlpOptions = { readonly [K in keyof Table]: ResolvedValue<Table[K]> };

/**
 * Resolves the transport options from `OTLP_OPTIONS`: each given option is checked, an
 * option not given takes its environment variable, else its default; then the endpoint's form
 * is checked for the protocol. An invalid or unknown option throws {@link InvalidOptionError};
 * an invalid environment value falls back to the default, as the OpenTelemetry SDKs do. A
 * transport passes only its OTLP options (see `otlpOptionsOf`).
 *
 * @throws {InvalidOptionError} naming the option, what it takes and what was given.
 * @example
 * ```ts
 * resolveOtlpOptions({ protocol: 'grpc' }, { OTEL_BLRP_SCHEDULE_DELAY: '250' }).scheduledDelayMillis; // 250
 * ```
 */
export function resolveOtlpOptions(
  options: OtlpExportOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOtlpOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError('options', 'an object', options);
  }
  // Unknown names first: a misspelt option is otherwise silently its default.
  checkOptionNames(options, OTLP_OPTION_NAMES);
  const resolved: Record<string, unknown> = {};
  for (const name of OTLP_OPTION_NAMES) {
    const spec: OptionSpec<unknown> = OTLP_OPTIONS[name];
    resolved[name] = resolveOption(spec, name, options[name], env);
  }
  const result = resolved as ResolvedOtlpOptions;
  checkEndpointForm(result.endpoint, result.protocol);
  // The spec: a batch larger than the queue is capped to it.
  return {
    ...result,
    maxExportBatchSize: Math.min(result.maxQueueSize, result.maxExportBatchSize),
  };
}

/**
 * One option of the table: the given value checked, else its environment variables, else its
 * default (see {@link resolveOtlpOptions}).
 *
 * @example
 * ```ts
 * resolveOption(OTLP_OPTIONS.maxQueueSize, 'maxQueueSize', undefined, process.env); // 2048
 * ```
 */
export function resolveOption<T>(
  spec: OptionSpec<T>,
  name: string,
  given: unknown,
  env: NodeJS.ProcessEnv,
): T | undefined {
  if (given !== undefined) return spec.check(given, name);
  if (spec.env !== undefined) {
    for (const variable of spec.env.names) {
      const value = envString(env, variable);
      // The first variable set decides, even when its value is invalid: a more specific
      // variable is never passed over for a more general one.
      if (value !== undefined) return spec.env.read(value) ?? spec.default;
    }
  }
  return spec.default;
}

// The endpoint's form depends on the protocol, so it is checked once both are resolved. The
// exporters check it only when the pipeline starts, in the worker (pino: an unhandled 'error'
// on the app's thread), and take `localhost:4318/v1/logs` for a URL of scheme `localhost:`
// that fails at every export: here only what the exporter of the protocol can send to passes.
function checkEndpointForm(endpoint: string | undefined, protocol: OtlpProtocol): void {
  if (endpoint === undefined) return;
  if (protocol === 'grpc' ? isGrpcTarget(endpoint) : isHttpUrl(endpoint)) return;
  const expected =
    protocol === 'grpc'
      ? 'an http://, https:// or unix:// URL, or host:port'
      : 'an http:// or https:// URL';
  // A scheme left out (`127.0.0.1:4318/v1/logs`): say what it likely meant.
  const schemeless = !endpoint.includes('://') && isHttpUrl(`http://${endpoint.trim()}`);
  const suggestion = schemeless ? ` (did you mean \`http://${endpoint.trim()}\`?)` : '';
  throw new InvalidOptionError('endpoint', `${expected}${suggestion}`, endpoint);
}

// As the OTLP/HTTP exporters parse it (`new URL(url)`), with a scheme they can send to.
function isHttpUrl(value: string): boolean {
  const url = parseUrl(value);
  return (url?.protocol === 'http:' || url?.protocol === 'https:') && url.hostname !== '';
}

// As the OTLP/gRPC exporter reads it (otlp-grpc-exporter-base's validateAndNormalizeUrl): no
// scheme means `https://`; `unix://` goes to grpc-js as it is; any other scheme than http(s)
// loses the host.
function isGrpcTarget(value: string): boolean {
  const trimmed = value.trim();
  const withScheme = /^\w{1,8}:\/\//.test(trimmed) ? trimmed : `https://${trimmed}`;
  if (parseUrl(withScheme)?.protocol === 'unix:') return true;
  return isHttpUrl(withScheme);
}

// `URL.parse` comes with Node 22.1 (and late 20.x): engines says >=20.
function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
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
