import type { OtlpProtocol } from '../../options/otlp-options.js';
import { describeError, redactCredentials } from '../../stderr.js';

// What otlp-exporter-base's delegate reports when the transport gave up on a retryable answer
// (HTTP 429, 502, 503, 504: it keeps no status) and when a request had no answer in time.
const RETRYABLE_STATUS = 'Export failed with retryable status';
const TIMED_OUT = 'Request timed out';
// A response body worth quoting: short, printable text (a collector's 4xx often says why;
// OTLP/protobuf answers carry a binary google.rpc.Status instead).
const QUOTABLE_BODY = /^[\x20-\x7e]{1,200}$/;

/**
 * Why an export failed, in one line for a report, credentials redacted: `HTTP 401
 * Unauthorized` (with the body when it is short text), a gRPC status, a network error, or
 * what otlp-exporter-base's retries ended on.
 *
 * @example
 * ```ts
 * describeExportFailure(new OTLPExporterError('Not Found', 404), 'http/protobuf'); // 'HTTP 404 Not Found'
 * ```
 */
export function describeExportFailure(error: unknown, protocol: OtlpProtocol): string {
  const { code, message, data } = (error ?? {}) as {
    code?: unknown;
    message?: unknown;
    data?: unknown;
  };
  const text = typeof message === 'string' ? (message.split('\n')[0] ?? '') : '';
  let why: string;
  // HTTP statuses are 100-599; a smaller code is a gRPC status, whatever the protocol was said
  // to be (a LogRecordProcessor is handed an exporter of any protocol).
  if (typeof code === 'number' && code >= 100 && protocol !== 'grpc') {
    const body = typeof data === 'string' ? data.trim() : '';
    why = `HTTP ${code}${text === '' ? '' : ` ${text}`}`;
    if (QUOTABLE_BODY.test(body) && body !== text) why += ` (${JSON.stringify(body)})`;
  } else if (text === RETRYABLE_STATUS) {
    why = 'the collector kept answering 429, 502, 503 or 504 until the request timed out';
  } else if (text === TIMED_OUT) {
    why = 'no answer within the request timeout';
  } else if (typeof code === 'string' && text.includes(code)) {
    why = text; // Node's network errors name their code: `connect ECONNREFUSED 127.0.0.1:4318`
  } else if (typeof code === 'number' && text.startsWith(`${code} `)) {
    why = `gRPC ${text}`; // grpc-js: `14 UNAVAILABLE: No connection established`
  } else {
    why = describeError(error);
  }
  return redactCredentials(why);
}

/** The HTTP status of an export error, if it has one (`undefined` over gRPC). */
export function httpStatusOf(error: unknown, protocol: OtlpProtocol): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return protocol !== 'grpc' && typeof code === 'number' ? code : undefined;
}

const LOGS_PATH = '/v1/logs';

/**
 * For a 404 from an endpoint whose path is not the logs path: the endpoint with `/v1/logs`
 * appended, which is what `endpoint` (and `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`) must name —
 * `OTEL_EXPORTER_OTLP_ENDPOINT` alone gets it appended. `undefined` when the path already
 * ends with it.
 *
 * @example
 * ```ts
 * logsPathSuggestion('http://collector:4318'); // 'http://collector:4318/v1/logs'
 * ```
 */
export function logsPathSuggestion(endpoint: string): string | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)?([^?#]*)(.*)$/i.exec(endpoint);
  if (match === null) return undefined;
  const [, origin = '', path = '', rest = ''] = match;
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed.endsWith(LOGS_PATH)) return undefined;
  return `${origin}${trimmed}${LOGS_PATH}${rest}`;
}
