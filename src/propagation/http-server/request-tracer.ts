import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import type { Context, Span, SpanContext } from '@opentelemetry/api';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { LinkedContext } from '../../core/captured-context.js';
import { isValid } from '../../core/span-context.js';
import { withRequestId } from '../../core/context-values.js';
import { reportProblem } from '../../core/report-problem.js';
import { incomingHeaderGetter } from '../carriers.js';
import { rawHeaderGetter } from '../carriers.js';
import { hasTracingSdk, startChildSpan, startLightweightChild } from '../child-span.js';
import type { ChildSpan } from '../child-span.js';
import { outgoingTraceFlags } from '../random-trace.js';
import { normalizeMethod, spanNameMethod } from './server-span.js';
import { resolveHttpServerOptions } from './options.js';
import type { HttpServerTracingOptions, ResolvedHttpServerOptions } from './options.js';
import { shareRoute } from './server-span.js';
import { readRequestIdHeader } from './headers.js';
import type { RequestIdMatch } from './headers.js';
import { serverSpanAttributes } from './server-span.js';
import { watchServerSpan } from './server-span.js';
import type { RouteReader } from './server-span.js';
import { setTraceResponse } from './headers.js';
import { watchRequestScope } from './request-scope.js';

/**
 * The one core behind `traceRequests`, `traceMiddleware` and `fastifyTracePlugin`: options
 * resolved once, then {@link RequestTracer.startRequest} per request.
 *
 * @example
 * ```ts
 * const tracer = new RequestTracer({ traceResponse: true });
 * server.on('request', (req, res) => context.with(tracer.startRequest(req, res), handle, undefined, req, res));
 * ```
 */
export class RequestTracer {
  private readonly options: ResolvedHttpServerOptions;

  /** @throws {InvalidOptionError} when an option is invalid. */
  constructor(options?: HttpServerTracingOptions) {
    this.options = resolveHttpServerOptions(options);
  }

  /**
   * Starts tracing one request and returns the context the rest of it must run in. When an
   * OpenTelemetry HTTP instrumentation already made the request's server span (it is active
   * now), that span is kept and only the request id, `traceresponse` and the route are added.
   * Otherwise
   * the caller's context is extracted from the headers and a child is started: an SDK SERVER
   * span, ended when the response closes, or a lightweight span context. Never throws.
   *
   * @example
   * ```ts
   * context.with(tracer.startRequest(req, res), listener, undefined, req, res);
   * ```
   */
  startRequest(
    req: IncomingMessage,
    res: ServerResponse,
    route?: string,
    readRoute?: RouteReader,
  ): Context {
    const ctx = this.startTrace(req, res, route, readRoute);
    const fieldHeaders = this.options.logFieldHeaders;
    return fieldHeaders === undefined ? ctx : fieldHeaders.apply(ctx, req);
  }

  private startTrace(
    req: IncomingMessage,
    res: ServerResponse,
    route: string | undefined,
    readRoute: RouteReader | undefined,
  ): Context {
    const active = context.active();
    try {
      const requestId = this.readRequestId(req);
      const existing = trace.getSpan(active);
      if (existing !== undefined && isServerSpanOfThisRequest(existing)) {
        if (this.options.traceResponse) setTraceResponse(res, flagged(active, existing));
        watchRequestScope(res, existing.spanContext().traceId);
        if (route !== undefined || readRoute !== undefined) {
          shareRoute(active, req, res, route, readRoute);
        }
        return requestId === undefined ? active : withRequestId(active, requestId.value);
      }
      // Linked: the 3–4 contexts derived below are links, not copies (LinkedContext).
      const base = new LinkedContext(existing === undefined ? active : trace.deleteSpan(active));
      const parent = extract(base, req);
      const child = this.startServerSpan(parent, req, res, requestId, route, readRoute);
      if (this.options.traceResponse) setTraceResponse(res, flagged(child.context, child.span));
      watchRequestScope(res, child.span.spanContext().traceId);
      return requestId === undefined
        ? child.context
        : withRequestId(child.context, requestId.value);
    } catch (error) {
      reportProblem('tracing an incoming request', 'served it without a trace context', error);
      return active;
    }
  }

  private readRequestId(req: IncomingMessage): RequestIdMatch | undefined {
    const names = this.options.requestIdHeaders;
    return names.length === 0 ? undefined : readRequestIdHeader(headersOf(req), names);
  }

  private startServerSpan(
    parent: Context,
    req: IncomingMessage,
    res: ServerResponse,
    requestId: RequestIdMatch | undefined,
    route: string | undefined,
    readRoute: RouteReader | undefined,
  ): ChildSpan {
    // Without an SDK: skip the attributes nobody would record.
    if (!hasTracingSdk()) return startLightweightChild(parent, this.options.sampleNewTraces);
    const method = normalizeMethod(req.method);
    const nameMethod = spanNameMethod(method);
    const attributes = serverSpanAttributes(req, method);
    if (route !== undefined) attributes['http.route'] = route;
    if (requestId !== undefined) {
      // semconv `http.request.header.<key>`: a string array, one entry per header value.
      attributes[this.options.requestIdAttributes[requestId.index]] = [requestId.value];
    }
    const name = route === undefined ? nameMethod : `${nameMethod} ${route}`;
    const child = startChildSpan(parent, name, {
      kind: SpanKind.SERVER,
      attributes,
      sampleNewTraces: this.options.sampleNewTraces,
    });
    if (child.fromSdk) watchServerSpan(res, child.span, req, nameMethod, route, readRoute);
    return child;
  }
}

// A valid, local span active when the request arrives was made for this request by an
// HTTP instrumentation (or by tracelink further up the stack). A remote one is only the
// caller's context; an SDK span of another kind (a startup span the server was listened in
// under AsyncLocalStorage) is not the request's either.
function isServerSpanOfThisRequest(span: Span): boolean {
  const spanContext = span.spanContext();
  if (!isValid(spanContext) || spanContext.isRemote === true) return false;
  const kind = (span as { readonly kind?: unknown }).kind;
  return kind === undefined || kind === SpanKind.SERVER;
}

// `traceresponse` has traceparent's flags: random-trace-id stays set for an SDK span of a
// random trace too (W3C Trace Context Level 2 §3.2.2.5.2).
function flagged(ctx: Context, span: Span): SpanContext {
  const spanContext = span.spanContext();
  const traceFlags = outgoingTraceFlags(ctx, spanContext);
  return traceFlags === spanContext.traceFlags ? spanContext : { ...spanContext, traceFlags };
}

function extract(base: Context, req: IncomingMessage): Context {
  try {
    // rawHeaders: Node builds `req.headers` only when something reads it (rawHeaderGetter).
    return Array.isArray(req.rawHeaders)
      ? propagation.extract(base, req.rawHeaders, rawHeaderGetter)
      : propagation.extract(base, req.headers, incomingHeaderGetter);
  } catch (error) {
    reportProblem('extracting the incoming trace context', 'started a new trace', error);
    return base;
  }
}

function headersOf(req: IncomingMessage): IncomingHttpHeaders | readonly string[] {
  return Array.isArray(req.rawHeaders) ? req.rawHeaders : req.headers;
}
