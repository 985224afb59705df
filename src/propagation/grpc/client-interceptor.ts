import { InterceptingCall } from '@grpc/grpc-js';
import type { Interceptor, Metadata } from '@grpc/grpc-js';
import { SpanKind, context, propagation } from '@opentelemetry/api';
import type { Context, Span } from '@opentelemetry/api';
import { reportProblem } from '../../core/report-problem.js';
import { hasTracingSdk, startChildSpan } from '../child-span.js';
import { carriesPropagationFields, metadataSetter } from './metadata-carrier.js';
import { describeCall, endCallSpan } from './rpc-span.js';

/**
 * A grpc-js client interceptor that writes the active context into each call's metadata with
 * the global propagator (`traceparent`, `tracestate`, `baggage`, …). With a tracing SDK it
 * starts a CLIENT span per call (name `package.Service/Method`, `rpc.system` `grpc`,
 * `rpc.service`, `rpc.method`, `rpc.grpc.status_code`; status ERROR for any code but OK) and
 * sends that span's context; without one (lightweight mode) it sends the active context as it
 * is. The call's callbacks and stream events run in the caller's context, so their log lines
 * carry the caller's trace.
 *
 * Metadata that already carries one of the propagator's fields is left alone and no span is
 * started: `@opentelemetry/instrumentation-grpc` (which writes them before interceptors run)
 * has made the call's span, or you set them yourself. Never throws into a call.
 *
 * @example
 * ```ts
 * const client = new Greeter('127.0.0.1:50051', credentials.createInsecure(), {
 *   interceptors: [grpcClientInterceptor()],
 * });
 * ```
 */
export function grpcClientInterceptor(): Interceptor {
  return (options, nextCall) => {
    const path: unknown = options.method_definition?.path;
    return new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        const call = startCall(path, metadata);
        if (call === undefined) return next(metadata, listener);
        const { caller, span } = call;
        next(metadata, {
          onReceiveMetadata: (received, pass) => context.with(caller, pass, undefined, received),
          onReceiveMessage: (message: unknown, pass: (message: unknown) => void) =>
            context.with(caller, pass, undefined, message),
          onReceiveStatus(status, pass) {
            if (span !== undefined) endCallSpan(span, 'client', status.code, status.details);
            context.with(caller, pass, undefined, status);
          },
        });
      },
    });
  };
}

interface StartedCall {
  /** The context active where the call was made: its callbacks run in it. */
  readonly caller: Context;
  /** The SDK's CLIENT span, ended with the call's status. */
  readonly span?: Span;
}

function startCall(path: unknown, metadata: Metadata): StartedCall | undefined {
  try {
    const caller = context.active();
    if (carriesPropagationFields(metadata, propagation.fields())) return { caller };
    let sent = caller;
    let span: Span | undefined;
    if (hasTracingSdk()) {
      const { name, attributes } = describeCall(path);
      const child = startChildSpan(caller, name, { kind: SpanKind.CLIENT, attributes });
      if (child.fromSdk) {
        span = child.span;
        sent = child.context;
      }
    }
    propagation.inject(sent, metadata, metadataSetter);
    return { caller, span };
  } catch (error) {
    reportProblem('tracing an outgoing gRPC call', 'sent the call without trace metadata', error);
    return undefined;
  }
}
