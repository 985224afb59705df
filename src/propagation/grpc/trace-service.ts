import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import type {
  MethodDefinition,
  ServerErrorResponse,
  ServiceDefinition,
  UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { errorMonitor } from 'node:events';
import { InvalidOptionError } from '../../core/invalid-option-error.js';
import { isValid } from '../../core/span-context.js';
import { reportProblem } from '../../core/report-problem.js';
import { hasTracingSdk, startChildSpan, startLightweightChild } from '../child-span.js';
import { metadataGetter } from './metadata-carrier.js';
import {
  GRPC_OK,
  GRPC_UNKNOWN,
  describeCall,
  detailsOf,
  endCallSpan,
  statusCodeOf,
} from './rpc-span.js';

/** Options of {@link traceGrpcService}. */
export interface GrpcServerTracingOptions {
  /**
   * The sampled flag of a trace started here in lightweight mode (no tracing SDK): downstream
   * parent-based samplers would otherwise record nothing. With an SDK, its sampler decides.
   * @default true
   */
  sampleNewTraces?: boolean;
}

const OPTION_NAMES = new Set(['sampleNewTraces']);

// What a grpc-js server passes a handler, as far as tracing reads it: the request metadata,
// and for streams the events that end the call.
interface ServerCall {
  readonly metadata: Parameters<typeof metadataGetter.keys>[0];
  on?(event: string | symbol, listener: (...args: unknown[]) => void): unknown;
}
type Respond = (error: ServerErrorResponse | null, ...rest: unknown[]) => void;
type Handler = (call: ServerCall, respond?: Respond) => unknown;

/**
 * Wraps a grpc-js service implementation so that every call — unary, client, server and
 * bidirectional streaming — runs in the caller's context, read from the request metadata by
 * the global propagator, and a SERVER span of its own: with a tracing SDK a span named
 * `package.Service/Method` with `rpc.system` `grpc`, `rpc.service`, `rpc.method` and
 * `rpc.grpc.status_code` (status ERROR for the codes the conventions count as server errors),
 * ended when the call ends; without one (lightweight mode) a span context with the caller's
 * trace id and a fresh span id. Listeners on the call (`data`, `end`) run in that context too.
 * Hand the result to `server.addService`.
 *
 * With `@opentelemetry/instrumentation-grpc` active, its SERVER span is already active when a
 * handler runs: it is kept and nothing is started. Never throws into a call; a handler's own
 * throw is recorded (status UNKNOWN) and rethrown to grpc-js unchanged.
 *
 * @throws {InvalidOptionError} when the service, the implementation or an option is invalid.
 * @example
 * ```ts
 * server.addService(GreeterService, traceGrpcService(GreeterService, { sayHello }));
 * ```
 */
export function traceGrpcService<I extends object = UntypedServiceImplementation>(
  service: ServiceDefinition,
  implementation: I,
  options: GrpcServerTracingOptions = {},
): I {
  const sampleNewTraces = resolveOptions(options);
  if (typeof service !== 'object' || service === null) {
    throw new InvalidOptionError('service', 'a grpc-js service definition', service);
  }
  if (typeof implementation !== 'object' || implementation === null) {
    throw new InvalidOptionError('implementation', 'an object of handlers', implementation);
  }
  const traced: Record<string, unknown> = {};
  const methods = service as unknown as Record<string, MethodDefinition<unknown, unknown>>;
  const handlers = implementation as Record<string, unknown>;
  for (const name of Object.keys(methods)) {
    const method = methods[name];
    if (method === undefined) continue;
    // grpc-js looks a handler up by the method's name, then by its original (proto) name.
    let handler = handlers[name];
    if (handler === undefined && typeof method.originalName === 'string') {
      handler = handlers[method.originalName];
    }
    if (typeof handler !== 'function') continue; // grpc-js answers UNIMPLEMENTED
    const bound = (handler as Handler).bind(implementation);
    traced[name] = traceHandler(bound, method, sampleNewTraces);
  }
  return traced as I;
}

function resolveOptions(options: GrpcServerTracingOptions): boolean {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object or undefined', options);
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) throw new InvalidOptionError(name, 'no such option', name);
  }
  const { sampleNewTraces = true } = options;
  if (typeof sampleNewTraces !== 'boolean') {
    throw new InvalidOptionError('sampleNewTraces', 'a boolean', sampleNewTraces);
  }
  return sampleNewTraces;
}

function traceHandler(
  handler: Handler,
  method: MethodDefinition<unknown, unknown>,
  sampleNewTraces: boolean,
): Handler {
  const { name, attributes } = describeCall(method.path);
  const responds = !method.responseStream; // unary and client streaming answer through a callback
  return (call, respond) => {
    const started = startCall(call, name, attributes, sampleNewTraces);
    if (started === undefined) return handler(call, respond);
    const end = started.span === undefined ? undefined : once(started.span);
    let done = respond;
    if (end !== undefined) {
      if (responds && respond !== undefined) {
        done = (error, ...rest) => {
          if (error === null || error === undefined) end(GRPC_OK);
          else end(statusCodeOf(error), detailsOf(error));
          return respond(error, ...rest);
        };
      }
      watchCall(call, end, !responds);
    }
    try {
      return context.with(started.context, handler, undefined, call, done);
    } catch (error) {
      // grpc-js answers a throwing handler with UNKNOWN.
      end?.(GRPC_UNKNOWN, detailsOf(error));
      throw error;
    }
  };
}

interface StartedCall {
  readonly context: Context;
  readonly span?: Span;
}

function startCall(
  call: ServerCall,
  name: string,
  attributes: Attributes,
  sampleNewTraces: boolean,
): StartedCall | undefined {
  try {
    const active = context.active();
    const existing = trace.getSpan(active);
    if (existing !== undefined && isServerSpanOfThisCall(existing)) return undefined;
    const base = existing === undefined ? active : trace.deleteSpan(active);
    const parent = propagation.extract(base, call.metadata, metadataGetter);
    const child = hasTracingSdk()
      ? startChildSpan(parent, name, { kind: SpanKind.SERVER, attributes, sampleNewTraces })
      : startLightweightChild(parent, sampleNewTraces);
    // Listeners added on the call (`data`, `end`, `cancelled`) run in the call's context.
    if (typeof call.on === 'function') context.bind(child.context, call);
    return { context: child.context, span: child.fromSdk ? child.span : undefined };
  } catch (error) {
    reportProblem('tracing an incoming gRPC call', 'served it without a trace context', error);
    return undefined;
  }
}

// A valid, local SERVER span (or a bare span context) active when the handler starts was made
// for this call by @opentelemetry/instrumentation-grpc, which runs the handler inside it. A
// remote one is only a caller's context; an SDK span of another kind (a start-up span the
// server was started in) is not the call's either.
function isServerSpanOfThisCall(span: Span): boolean {
  const spanContext = span.spanContext();
  if (!isValid(spanContext) || spanContext.isRemote === true) return false;
  const kind = (span as { readonly kind?: unknown }).kind;
  return kind === undefined || kind === SpanKind.SERVER;
}

// Any call may be `cancelled` by the client (the answer never comes). A call with a response
// stream ends with `finish` (the handler ended it: OK, unless it emitted an error first) or an
// `error` it emitted (watched through errorMonitor, so no listener of ours changes how grpc-js
// handles it); the others end with their answer.
function watchCall(
  call: ServerCall,
  end: (code: number, details?: string) => void,
  responseStream: boolean,
): void {
  try {
    call.on?.('cancelled', () => end(1, 'Cancelled by the client')); // status.CANCELLED
    if (!responseStream) return;
    call.on?.(errorMonitor, (error: unknown) => end(statusCodeOf(error), detailsOf(error)));
    call.on?.('finish', () => end(GRPC_OK));
  } catch (error) {
    reportProblem('watching a gRPC stream', 'the server span may not end', error);
  }
}

function once(span: Span): (code: number, details?: string) => void {
  let ended = false;
  return (code, details) => {
    if (ended) return;
    ended = true;
    endCallSpan(span, 'server', code, details);
  };
}
