export { amqpGetter, amqpSetter } from './carriers.js';
export type { AmqpHeaders } from './carriers.js';
export { BaggagePropagator } from './baggage-propagator.js';
export { createPropagator } from './create-propagator.js';
export { headerGetter, headerSetter } from './carriers.js';
export { incomingHeaderGetter } from './carriers.js';
export type { HeaderRecord } from './carriers.js';
export { MAX_HEADER_VALUE_LENGTH, MAX_HEADER_VALUES } from './header-value.js';
export { kafkaGetter, kafkaSetter } from './carriers.js';
export type { KafkaHeaderList, KafkaHeaderRecord, KafkaHeaders } from './carriers.js';
export { mapGetter, mapSetter } from './carriers.js';
export type { HeaderMap } from './carriers.js';
export { extractFromMessage, injectIntoMessage } from './messaging/message-propagation.js';
export type { MessageHeaders } from './messaging/message-propagation.js';
export { DEFAULT_PROPAGATORS, readPropagatorNames } from './create-propagator.js';
export type { PropagatorName } from './create-propagator.js';
export { setupPropagation } from './setup-propagation.js';
export type { PropagationSetup, PropagationSetupOptions } from './setup-propagation.js';
export { TraceContextPropagator } from './trace-context-propagator.js';
// Incoming HTTP: node:http, Express/Connect, Fastify.
export { fastifyTracePlugin } from './http-server/fastify-trace-plugin.js';
export type {
  FastifyHookDone,
  FastifyLikeErrorHook,
  FastifyLikeHook,
  FastifyLikeInstance,
  FastifyLikeReply,
  FastifyLikeRequest,
} from './http-server/fastify-trace-plugin.js';
export { DEFAULT_REQUEST_ID_HEADERS } from './http-server/options.js';
export type { HttpServerTracingOptions } from './http-server/options.js';
export { MAX_REQUEST_ID_LENGTH } from './http-server/headers.js';
export { traceMiddleware } from './http-server/trace-middleware.js';
export type { NextFunction, TraceMiddleware } from './http-server/trace-middleware.js';
export { traceRequests } from './http-server/trace-requests.js';
export { readRequestId } from '../core/context-values.js';
// Outgoing HTTP: fetch, undici, node:http/https.
export { withTraceHeaders } from './http-client/fetch.js';
export type {
  FetchHeadersLike,
  FetchInitLike,
  FetchRequestLike,
  TraceHeadersOptions,
} from './http-client/fetch.js';
export { instrumentOutgoingHttp } from './http-client/node-http.js';
export type { OutgoingHttpInstrumentation } from './http-client/node-http.js';
export { injectIntoRequestOptions } from './http-client/node-http.js';
export type { RequestOptionsLike } from './http-client/node-http.js';
export { createTracedFetch, tracedFetch } from './http-client/fetch.js';
export type { FetchLike, TracedFetchOptions } from './http-client/fetch.js';
export { tracedRequest } from './http-client/node-http.js';
export type { RequestFunctionLike } from './http-client/node-http.js';
export { traceContextInterceptor } from './http-client/undici-interceptor.js';
export type {
  DispatchInterceptor,
  DispatchLike,
  TraceContextInterceptorOptions,
} from './http-client/undici-interceptor.js';
// Messages: producer and consumer spans (OpenTelemetry messaging conventions).
export type { MessagingSpanOptions } from './messaging/messaging-span.js';
export { withConsumerSpan } from './messaging/message-spans.js';
export type { ConsumerSpanOptions } from './messaging/message-spans.js';
export { withProducerSpan } from './messaging/message-spans.js';
export type { ProducerSpanOptions } from './messaging/message-spans.js';
