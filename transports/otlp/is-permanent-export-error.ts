// gRPC status RESOURCE_EXHAUSTED. With this text it means the message is past the server's
// size limit (grpc-go: "received message larger than max"); otherwise it is throttling.
const GRPC_RESOURCE_EXHAUSTED = 8;
const TOO_LARGE = /larger than max/i;

/**
 * Whether an export failure means the collector refused the data itself, so retrying the
 * same batch cannot succeed: an HTTP 4xx other than 408 (timeout) and 429 (throttled), per
 * the OTLP/HTTP spec's list of retryable statuses, or a gRPC message too large for the
 * server (batches are kept under `maxExportBatchBytes`, so that is a single record larger
 * than the collector takes). Anything else — no connection, 5xx, a timeout, throttling — is
 * worth retrying once the collector is back.
 */
export function isPermanentExportError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'number') return false;
  if (code === GRPC_RESOURCE_EXHAUSTED)
    return typeof message === 'string' && TOO_LARGE.test(message);
  return code >= 400 && code < 500 && code !== 408 && code !== 429;
}
