import { SpanStatusCode } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import { reportProblem } from '../../core/report-problem.js';

// Attribute names of the OpenTelemetry RPC semantic conventions as @opentelemetry/semantic-
// conventions 1.45.0 names them (incubating entry point: copied, not imported, as in
// messaging/messaging-span.ts). The same names @opentelemetry/instrumentation-grpc writes.
const RPC_SYSTEM = 'rpc.system'; // ATTR_RPC_SYSTEM
const RPC_SERVICE = 'rpc.service'; // ATTR_RPC_SERVICE
const RPC_METHOD = 'rpc.method'; // ATTR_RPC_METHOD
const RPC_GRPC_STATUS_CODE = 'rpc.grpc.status_code'; // ATTR_RPC_GRPC_STATUS_CODE
const ERROR_TYPE = 'error.type'; // ATTR_ERROR_TYPE (stable)

/** grpc-js `status.OK` and `status.UNKNOWN`, as numbers so this file loads nothing of grpc-js. */
export const GRPC_OK = 0;
export const GRPC_UNKNOWN = 2;

// gRPC status codes the RPC conventions count as a server's error ("gRPC status codes" table:
// UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS); every other
// code is the client's doing and leaves a SERVER span's status unset. A CLIENT span is an
// error for any code but OK.
const SERVER_ERRORS = new Set([2, 4, 12, 13, 14, 15]);

/**
 * The span name and attributes of a call to `path` (`/package.Service/Method`): the name is
 * `package.Service/Method`, as the conventions give it. A path of another shape keeps
 * `rpc.system` only and names the span after the path (or `grpc`).
 */
export function describeCall(path: unknown): { name: string; attributes: Attributes } {
  const attributes: Attributes = { [RPC_SYSTEM]: 'grpc' };
  if (typeof path !== 'string' || path === '') return { name: 'grpc', attributes };
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const slash = trimmed.lastIndexOf('/');
  if (slash > 0 && slash < trimmed.length - 1) {
    attributes[RPC_SERVICE] = trimmed.slice(0, slash);
    attributes[RPC_METHOD] = trimmed.slice(slash + 1);
  }
  return { name: trimmed, attributes };
}

/**
 * Writes the call's outcome onto `span` and ends it: `rpc.grpc.status_code`, and for an
 * error status (per `side`) status ERROR with `error.type` (the status code's number, as the
 * conventions ask when there is no exception class) and the details. Never throws.
 */
export function endCallSpan(
  span: Span,
  side: 'client' | 'server',
  code: number,
  details?: string,
): void {
  try {
    span.setAttribute(RPC_GRPC_STATUS_CODE, code);
    const isError = side === 'client' ? code !== GRPC_OK : SERVER_ERRORS.has(code);
    if (isError) {
      span.setAttribute(ERROR_TYPE, String(code));
      span.setStatus({ code: SpanStatusCode.ERROR, message: details });
    }
  } catch (error) {
    reportProblem('recording a gRPC status on a span', 'the span has no status', error);
  }
  try {
    span.end();
  } catch (error) {
    reportProblem('ending a gRPC span', 'the span may not be exported', error);
  }
}

/** The gRPC status code of an error a handler passed on; UNKNOWN unless it carries a valid one. */
export function statusCodeOf(error: unknown): number {
  const code: unknown = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'number' && Number.isInteger(code) && code >= 0 && code <= 16
    ? code
    : GRPC_UNKNOWN;
}

/** The message of an error a handler passed on, for the span's status. */
export function detailsOf(error: unknown): string | undefined {
  const details: unknown = (error as { details?: unknown; message?: unknown } | null)?.details;
  if (typeof details === 'string' && details !== '') return details;
  const message: unknown = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : undefined;
}
