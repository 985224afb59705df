export { amqpGetter, amqpSetter } from './amqp-carrier.js';
export type { AmqpHeaders } from './amqp-carrier.js';
export { BaggagePropagator } from './baggage-propagator.js';
export { createPropagator } from './create-propagator.js';
export { headerGetter, headerSetter } from './header-carrier.js';
export { incomingHeaderGetter } from './incoming-header-getter.js';
export type { HeaderRecord } from './header-carrier.js';
export { MAX_HEADER_VALUE_LENGTH, MAX_HEADER_VALUES } from './header-value.js';
export { kafkaGetter, kafkaSetter } from './kafka-carrier.js';
export type { KafkaHeaderList, KafkaHeaderRecord, KafkaHeaders } from './kafka-carrier.js';
export { mapGetter, mapSetter } from './map-carrier.js';
export type { HeaderMap } from './map-carrier.js';
export { extractFromMessage, injectIntoMessage } from './message-propagation.js';
export type { MessageHeaders } from './message-propagation.js';
export { DEFAULT_PROPAGATORS, readPropagatorNames } from './propagator-name.js';
export type { PropagatorName } from './propagator-name.js';
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
export { DEFAULT_REQUEST_ID_HEADERS } from './http-server/http-server-options.js';
export type { HttpServerTracingOptions } from './http-server/http-server-options.js';
export { MAX_REQUEST_ID_LENGTH } from './http-server/request-id-header.js';
export { traceMiddleware } from './http-server/trace-middleware.js';
export type { NextFunction, TraceMiddleware } from './http-server/trace-middleware.js';
export { traceRequests } from './http-server/trace-requests.js';
export { readRequestId } from '../context/request-id.js';
// Outgoing HTTP: fetch, undici, node:http/https.
export { withTraceHeaders } from './http-client/fetch-init.js';
export type {
  FetchHeadersLike,
  FetchInitLike,
  FetchRequestLike,
  TraceHeadersOptions,
} from './http-client/fetch-init.js';
export { instrumentOutgoingHttp } from './http-client/instrument-outgoing-http.js';
export type { OutgoingHttpInstrumentation } from './http-client/instrument-outgoing-http.js';
export { injectIntoRequestOptions } from './http-client/request-options.js';
export type { RequestOptionsLike } from './http-client/request-options.js';
export { createTracedFetch, tracedFetch } from './http-client/traced-fetch.js';
export type { FetchLike, TracedFetchOptions } from './http-client/traced-fetch.js';
export { tracedRequest } from './http-client/traced-request.js';
export type { RequestFunctionLike } from './http-client/traced-request.js';
export { traceContextInterceptor } from './http-client/undici-interceptor.js';
export type {
  DispatchInterceptor,
  DispatchLike,
  TraceContextInterceptorOptions,
} from './http-client/undici-interceptor.js';
// Messages: producer and consumer spans (OpenTelemetry messaging conventions).
export type { MessagingSpanOptions } from './messaging/messaging-attributes.js';
export { withConsumerSpan } from './messaging/with-consumer-span.js';
export type { ConsumerSpanOptions } from './messaging/with-consumer-span.js';
export { withProducerSpan } from './messaging/with-producer-span.js';
export type { ProducerSpanOptions } from './messaging/with-producer-span.js';
