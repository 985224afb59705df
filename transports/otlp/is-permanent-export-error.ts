/**
 * Whether an export failure means the collector refused the data itself, so retrying the
 * same batch cannot succeed: an HTTP 4xx other than 408 (timeout) and 429 (throttled), per
 * the OTLP/HTTP spec's list of retryable statuses. Anything else — no connection, 5xx, a
 * timeout — is worth retrying once the collector is back.
 */
export function isPermanentExportError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && code >= 400 && code < 500 && code !== 408 && code !== 429;
}
