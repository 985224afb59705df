import type { ServerResponse } from 'node:http';
import { beginRequestScope, endRequestScope } from '../../core/request-scope.js';
import { requestScopesWatched } from '../../core/request-scope.js';

/** What the end of one request's scope needs; kept on the response. */
interface ScopeState {
  readonly traceId: string;
  ended: boolean;
}

interface ResponseWithScope {
  [SCOPE]?: ScopeState;
}

const SCOPE = Symbol('tracelink.request-scope');

/**
 * Tells the request-scope listeners (the trace buffers) that the request of trace `traceId`
 * began, and when its response closes how it ended: failed on a 5xx status or a response cut
 * off before it finished, as the server span's status is decided (semconv: a 4xx is the
 * client's error). A no-op when nothing listens or the response is watched already, in SDK and
 * lightweight mode alike. The
 * listener is one shared function and the state sits on the response. Never throws.
 *
 * @example
 * ```ts
 * watchRequestScope(res, child.span.spanContext().traceId);
 * ```
 */
export function watchRequestScope(res: ServerResponse, traceId: string): void {
  // Traced twice (traceRequests around an app that uses traceMiddleware): one scope, one end.
  if (!requestScopesWatched() || (res as ResponseWithScope)[SCOPE] !== undefined) return;
  (res as ResponseWithScope)[SCOPE] = { traceId, ended: false };
  beginRequestScope(traceId);
  res.on('close', onResponseClose);
}

/**
 * Ends the request's scope now as failed: its handler threw or rejected, and the process
 * may not live to see the response close. Never throws.
 *
 * @example
 * ```ts
 * try { listener(req, res); } catch (error) { failRequestScope(res); throw error; }
 * ```
 */
export function failRequestScope(res: ServerResponse): void {
  endScope(res, true);
}

/**
 * Whether the request's scope is still open.
 *
 * @example
 * ```ts
 * if (hasOpenRequestScope(res)) promise.then(undefined, () => failRequestScope(res));
 * ```
 */
export function hasOpenRequestScope(res: ServerResponse): boolean {
  const state = (res as ResponseWithScope)[SCOPE];
  return state !== undefined && !state.ended;
}

function onResponseClose(this: ServerResponse): void {
  endScope(this, false);
}

function endScope(res: ServerResponse, thrown: boolean): void {
  const state = (res as ResponseWithScope)[SCOPE];
  if (state === undefined || state.ended) return;
  state.ended = true;
  const failed = thrown || !res.writableFinished || res.statusCode >= 500;
  endRequestScope(state.traceId, failed);
}
