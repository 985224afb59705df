import { SpanKind, SpanStatusCode, diag, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { reportProblem } from '../../core/report-problem.js';
import { hasTracingSdk, outgoingLightweightContext, startChildSpan } from '../child-span.js';
import {
  normalizeMethod,
  OTHER_METHOD,
  redactQuery,
  spanNameMethod,
} from '../http-server/server-span.js';

/** The context an outgoing request is injected from, and whether a CLIENT span may follow. */
export interface OutgoingContext {
  /**
   * With an SDK, the caller's context (its span is the CLIENT span's parent, and the provisional
   * parent until the CLIENT span exists); in lightweight mode a child with a fresh span id.
   */
  readonly context: Context;
  readonly sdk: boolean;
}

/**
 * The {@link OutgoingContext} of one outgoing request made in `ctx`. Never throws.
 *
 * @example
 * ```ts
 * const outgoing = outgoingContext(context.active());
 * ```
 */
export function outgoingContext(ctx: Context): OutgoingContext {
  if (hasTracingSdk()) return { context: ctx, sdk: true };
  return { context: outgoingLightweightContext(ctx), sdk: false };
}

/** What a CLIENT span needs to know about an outgoing request. */
export interface OutgoingRequestInfo {
  readonly method: string;
  /** `http` or `https`. */
  readonly scheme: string;
  /** Host name or IP literal (no brackets), without the port. */
  readonly host: string;
  readonly port: number | undefined;
  /** Path and query, as sent. */
  readonly target: string;
}

/**
 * Starts the CLIENT span of one outgoing request as a child of the span in `parent`, following
 * the stable HTTP client semantic conventions: name `{method}` (`HTTP` for an unknown method),
 * `http.request.method` (`_OTHER` plus `http.request.method_original` for an unknown one),
 * `server.address`, `server.port`, `url.full` (signature query parameters redacted; tracelink
 * never puts credentials in it). `undefined` when no SDK span could be made. Never throws.
 *
 * @example
 * ```ts
 * const span = startClientSpan(ctx, { method: 'GET', scheme: 'http', host: 'api', port: 80, target: '/' });
 * ```
 */
export function startClientSpan(
  parent: Context,
  info: OutgoingRequestInfo,
  startTime: number,
): Span | undefined {
  try {
    const method = normalizeMethod(info.method);
    const attributes: Attributes = {
      'http.request.method': method,
      'server.address': info.host,
      'url.full': fullUrl(info),
    };
    if (method === OTHER_METHOD) attributes['http.request.method_original'] = info.method;
    if (info.port !== undefined) attributes['server.port'] = info.port;
    const child = startChildSpan(parent, spanNameMethod(method), {
      kind: SpanKind.CLIENT,
      attributes,
      startTime,
    });
    return child.fromSdk ? child.span : undefined;
  } catch (error) {
    reportProblem('starting a CLIENT span', 'sent the request without one', error);
    return undefined;
  }
}

function fullUrl({ scheme, host, port, target }: OutgoingRequestInfo): string {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const defaultPort = scheme === 'https' ? 443 : 80;
  const portPart = port === undefined || port === defaultPort ? '' : `:${port}`;
  const query = target.indexOf('?');
  const path =
    query === -1 ? target : `${target.slice(0, query)}?${redactQuery(target.slice(query + 1))}`;
  return `${scheme}://${hostPart}${portPart}${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * The `traceparent` (and `tracestate`) the global propagator writes for `span` in `parent`;
 * empty when it writes none or fails (reported through `diag`).
 *
 * @example
 * ```ts
 * request.setHeader('traceparent', clientSpanHeaders(ctx, span).traceparent ?? provisional);
 * ```
 */
export function clientSpanHeaders(parent: Context, span: Span): Record<string, string> {
  const headers: Record<string, string> = {};
  try {
    propagation.inject(trace.setSpan(parent, span), headers, {
      set: (carrier: Record<string, string>, key, value) => {
        const name = key.toLowerCase();
        if (name === 'traceparent' || name === 'tracestate') carrier[name] = value;
      },
    });
  } catch (error) {
    reportProblem('injecting a CLIENT span', 'sent the request with its parent span', error);
  }
  return headers;
}

/** How an outgoing request ended, for {@link endClientSpan}. */
export interface ClientOutcome {
  readonly statusCode?: number;
  readonly error?: unknown;
}

/**
 * Ends a CLIENT span: `http.response.status_code`, and status ERROR with `error.type` for a
 * status ≥ 400 (semconv: a 4xx is an error for a client) or a failed request (the error's
 * `code` or name, and the exception recorded). Never throws.
 *
 * @example
 * ```ts
 * endClientSpan(span, { statusCode: 503 });
 * ```
 */
export function endClientSpan(span: Span, outcome: ClientOutcome): void {
  try {
    const { statusCode, error } = outcome;
    if (statusCode !== undefined) span.setAttribute('http.response.status_code', statusCode);
    if (error !== undefined) {
      span.setAttribute('error.type', errorType(error));
      if (error instanceof Error) span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
    } else if (statusCode !== undefined && statusCode >= 400) {
      span.setAttribute('error.type', String(statusCode));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  } catch (err) {
    reportProblem('ending a CLIENT span', 'the span may stay open', err);
  }
}

function errorType(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name !== '') return name;
  }
  return '_OTHER';
}

function errorMessage(error: unknown): string | undefined {
  return error instanceof Error ? error.message : undefined;
}

const said = new Set<string>();

/**
 * Tells `diag` what was decided about an outgoing request's `traceparent`, once per process and
 * kind of decision at `info` level (every time at `debug`).
 *
 * @example
 * ```ts
 * sayDecision('deferred', 'another party added its own traceparent; tracelink removed its own');
 * ```
 */
export function sayDecision(kind: string, message: string): void {
  const text = `tracelink: outgoing request: ${message}`;
  if (said.has(kind)) {
    diag.debug(text);
    return;
  }
  said.add(kind);
  diag.info(text);
}
