// gRPC (@grpc/grpc-js): the context in and out of calls' metadata, with RPC spans. Only this
// entry loads grpc-js.
export { grpcClientInterceptor } from './client-interceptor.js';
export { traceGrpcService } from './trace-service.js';
export type { GrpcServerTracingOptions } from './trace-service.js';
