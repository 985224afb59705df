import { reportProblem } from './report-problem.js';

/**
 * Told when a unit of work that tracelink traces — an incoming HTTP request
 * (`traceRequests`, `traceMiddleware`, `fastifyTracePlugin`) or a consumed message
 * (`withConsumerSpan`) — begins and ends in this process, and how it ended. Ends always follow
 * their begins, once each; a failed end is a thrown or rejected handler, an HTTP 5xx, or a
 * response cut off before it finished.
 */
export interface RequestScopeListener {
  begin(traceId: string): void;
  end(traceId: string, failed: boolean): void;
}

// On globalThis under a registered symbol: the ESM and CommonJS builds of tracelink (and two
// copies of it) tell the same listeners.
const KEY = Symbol.for('tracelink.request-scope-listeners');
type Holder = { [KEY]?: RequestScopeListener[] };

function listeners(): RequestScopeListener[] {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= []);
}

/**
 * Adds a listener; returns the function that removes it again.
 *
 * @example
 * ```ts
 * const remove = addRequestScopeListener({ begin: (id) => {}, end: (id, failed) => {} });
 * remove();
 * ```
 */
export function addRequestScopeListener(listener: RequestScopeListener): () => void {
  const list = listeners();
  list.push(listener);
  return () => {
    const index = list.indexOf(listener);
    if (index !== -1) list.splice(index, 1);
  };
}

/**
 * Whether anything listens: the tracers skip the per-request bookkeeping when nothing does.
 *
 * @example
 * ```ts
 * if (requestScopesWatched()) beginRequestScope(traceId);
 * ```
 */
export function requestScopesWatched(): boolean {
  return listeners().length > 0;
}

/**
 * Tells every listener that a unit of work of trace `traceId` began. Never throws.
 *
 * @example
 * ```ts
 * beginRequestScope(span.spanContext().traceId);
 * ```
 */
export function beginRequestScope(traceId: string): void {
  for (const listener of listeners()) {
    try {
      listener.begin(traceId);
    } catch (error) {
      reportProblem('telling a listener a request began', 'it was not told', error);
    }
  }
}

/**
 * Tells every listener that a unit of work of trace `traceId` ended, and whether it failed.
 * Never throws.
 *
 * @example
 * ```ts
 * endRequestScope(span.spanContext().traceId, res.statusCode >= 500);
 * ```
 */
export function endRequestScope(traceId: string, failed: boolean): void {
  for (const listener of listeners()) {
    try {
      listener.end(traceId, failed);
    } catch (error) {
      reportProblem('telling a listener a request ended', 'it was not told', error);
    }
  }
}
