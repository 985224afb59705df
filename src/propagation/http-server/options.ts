import { InvalidOptionError } from '../../core/invalid-option-error.js';
import { LogFieldHeaders } from './log-field-headers.js';

/** Options of `traceRequests`, `traceMiddleware` and `fastifyTracePlugin`. */
export interface HttpServerTracingOptions {
  /**
   * Answers every request with the W3C Trace Context Level 2 `traceresponse` header
   * (`00-<trace id>-<server span id>-<flags>`), so a caller can find the server's trace. Off
   * by default: it tells every client the trace id of its request.
   * @default false
   */
  readonly traceResponse?: boolean;
  /**
   * Legacy request-id headers, in order of preference. The first one present with a usable
   * value (printable ASCII, at most 128 characters) is stored in the context, where
   * `readRequestId()` and the `requestId` field option of the log formats find it. `[]` turns
   * request ids off.
   * @default ['x-request-id', 'x-correlation-id']
   */
  readonly requestIdHeaders?: readonly string[];
  /**
   * Sampled flag of a trace started here in lightweight mode (no tracing SDK), when the
   * request carries no valid trace context. With an SDK its sampler decides.
   * @default true
   */
  readonly sampleNewTraces?: boolean;
  /**
   * Request headers whose values become log fields of the request (see `withLogFields`):
   * header name → field name, e.g. `{ 'x-tenant-id': 'tenant' }`. A value is kept when it is
   * 1 to 1024 printable ASCII characters once trimmed. The fields stay in this service.
   * @default {}
   */
  readonly logFieldHeaders?: Readonly<Record<string, string>>;
}

/** {@link HttpServerTracingOptions}, validated, with the defaults applied. */
export interface ResolvedHttpServerOptions {
  readonly traceResponse: boolean;
  /** Lower-case header names: Node lower-cases incoming header names. */
  readonly requestIdHeaders: readonly string[];
  /** `http.request.header.<name>` for each of {@link requestIdHeaders}, in the same order. */
  readonly requestIdAttributes: readonly string[];
  readonly sampleNewTraces: boolean;
  /** `undefined` when no header is mapped. */
  readonly logFieldHeaders: LogFieldHeaders | undefined;
}

/** The default of {@link HttpServerTracingOptions.requestIdHeaders}. */
export const DEFAULT_REQUEST_ID_HEADERS: readonly string[] = ['x-request-id', 'x-correlation-id'];

// RFC 9110 §5.1: a field name is a token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Validates the options once, when the middleware is made.
 *
 * @throws {InvalidOptionError} when an option is invalid.
 * @example
 * ```ts
 * const resolved = resolveHttpServerOptions({ traceResponse: true });
 * ```
 */
export function resolveHttpServerOptions(
  options: HttpServerTracingOptions = {},
): ResolvedHttpServerOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object', options);
  }
  const requestIdHeaders = resolveHeaderNames(options.requestIdHeaders);
  return {
    traceResponse: resolveBoolean('traceResponse', options.traceResponse, false),
    requestIdHeaders,
    // semconv `http.request.header.<key>`: the key is the lower-case header name.
    requestIdAttributes: requestIdHeaders.map((name) => `http.request.header.${name}`),
    sampleNewTraces: resolveBoolean('sampleNewTraces', options.sampleNewTraces, true),
    logFieldHeaders: LogFieldHeaders.resolve(options.logFieldHeaders),
  };
}

function resolveBoolean(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  throw new InvalidOptionError(option, 'a boolean', value);
}

function resolveHeaderNames(value: unknown): readonly string[] {
  if (value === undefined) return DEFAULT_REQUEST_ID_HEADERS;
  if (Array.isArray(value) && value.every((name) => typeof name === 'string' && TOKEN.test(name))) {
    return (value as string[]).map((name) => name.toLowerCase());
  }
  throw new InvalidOptionError('requestIdHeaders', 'an array of HTTP header names', value);
}
