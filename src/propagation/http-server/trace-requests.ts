import { context } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidOptionError } from '../../core/invalid-option-error.js';
import type { HttpServerTracingOptions } from './options.js';
import { RequestTracer } from './request-tracer.js';
import { failServerSpan, hasOpenServerSpan } from './server-span.js';
import { failRequestScope, hasOpenRequestScope } from './request-scope.js';

/**
 * Wraps a `node:http` / `node:https` request listener so that each request runs inside its
 * trace context: the caller's context extracted from the headers (W3C `traceparent`,
 * `tracestate`, baggage — whatever the global propagator reads) and a server span of its own —
 * an SDK SERVER span when a tracer provider is registered, else a lightweight span context
 * with the caller's trace id and a fresh span id. Log lines written while handling the
 * request carry that trace id; calls made from it continue the trace. With
 * `@opentelemetry/instrumentation-http` active, its span is kept and nothing is started.
 *
 * A listener that throws or rejects ends the SDK span with status ERROR; the error is passed
 * on unchanged. Tracing itself never throws into the request.
 *
 * @throws {InvalidOptionError} when `listener` is not a function or an option is invalid.
 * @example
 * ```ts
 * import http from 'node:http';
 * import { traceRequests } from 'tracelink/propagation';
 *
 * http.createServer(traceRequests((req, res) => {
 *   logger.info('hello'); // carries the caller's trace_id
 *   res.end('ok');
 * }, { traceResponse: true })).listen(3000);
 * ```
 */
export function traceRequests<
  Req extends IncomingMessage = IncomingMessage,
  Res extends ServerResponse = ServerResponse,
>(
  listener: (req: Req, res: Res) => unknown,
  options?: HttpServerTracingOptions,
): (req: Req, res: Res) => void {
  if (typeof listener !== 'function') {
    throw new InvalidOptionError('listener', 'a request listener function', listener);
  }
  const tracer = new RequestTracer(options);
  return function tracedListener(this: unknown, req: Req, res: Res): void {
    const ctx = tracer.startRequest(req, res);
    let result: unknown;
    try {
      // No closure per request: the listener, `this` (the server) and the arguments go through
      // as arguments. Passed as `thisArg`, `this` would make the context manager bind the
      // listener anew for every request.
      result = context.with(ctx, callListener, undefined, listener, this, req, res);
    } catch (error) {
      failServerSpan(res, error);
      failRequestScope(res);
      throw error;
    }
    if (isPromiseLike(result) && (hasOpenServerSpan(res) || hasOpenRequestScope(res))) {
      endOnRejection(result, res);
    }
  };
}

function callListener<Req, Res>(
  listener: (req: Req, res: Res) => unknown,
  self: unknown,
  req: Req,
  res: Res,
): unknown {
  return listener.call(self, req, res);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

// Re-thrown from the derived promise, so an unhandled rejection stays unhandled, with the
// same reason: the application's own `unhandledRejection` policy still applies.
function endOnRejection(result: PromiseLike<unknown>, res: ServerResponse): void {
  void Promise.resolve(result).then(undefined, (error: unknown) => {
    failServerSpan(res, error);
    failRequestScope(res);
    throw error;
  });
}
