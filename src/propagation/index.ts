// Setup: propagators from names or OTEL_PROPAGATORS, and a context manager when none is registered.
export { createPropagator } from './create-propagator.js';
export type { PropagatorName } from './create-propagator.js';
export { setupPropagation } from './setup-propagation.js';
export type { PropagationSetup, PropagationSetupOptions } from './setup-propagation.js';
// Incoming HTTP: node:http, Express/Connect, Fastify.
export { fastifyTracePlugin } from './http-server/fastify-trace-plugin.js';
export type { HttpServerTracingOptions } from './http-server/options.js';
export { traceMiddleware } from './http-server/trace-middleware.js';
export { traceRequests } from './http-server/trace-requests.js';
export { readRequestId } from '../core/context-values.js';
// Outgoing HTTP: fetch, undici, node:http/https.
export { createTracedFetch, tracedFetch, withTraceHeaders } from './http-client/fetch.js';
export type { TracedFetchOptions, TraceHeadersOptions } from './http-client/fetch.js';
export {
  injectIntoRequestOptions,
  instrumentOutgoingHttp,
  tracedRequest,
} from './http-client/node-http.js';
export { traceContextInterceptor } from './http-client/undici-interceptor.js';
export type { TraceContextInterceptorOptions } from './http-client/undici-interceptor.js';
// Messages: headers in and out, producer and consumer spans (OpenTelemetry messaging conventions).
export { extractFromMessage, injectIntoMessage } from './messaging/message-propagation.js';
export type { MessageHeaders } from './messaging/message-propagation.js';
export { withConsumerSpan, withProducerSpan } from './messaging/message-spans.js';
export type { ConsumerSpanOptions, ProducerSpanOptions } from './messaging/message-spans.js';
// Batches: each message its own consumer context and span.
export { forEachMessage } from './messaging/batch-spans.js';
export type { BatchSpanOptions } from './messaging/batch-spans.js';
export { registerPropagator } from './create-propagator.js';
export type { PropagatorOptions } from './create-propagator.js';
export { customHeaderPropagator } from './custom-header-propagator.js';
export type { CustomHeaderPropagatorOptions } from './custom-header-propagator.js';
