import type { Context } from '@opentelemetry/api';
import { reportProblem } from '../../report-problem.js';
import { recordHas, traceHeadersFor } from './trace-headers.js';

/**
 * Adds the trace headers of `ctx` to the headers of an undici dispatch or a `http.request`,
 * in a shape both accept: a record, a flat `[name, value, name, value]` array (Node's
 * `rawHeaders` format, undici's array form), or an iterable of pairs (`Headers`, `Map`), which
 * comes back as a flat array. The input is never mutated; `undefined` means "unchanged".
 */
export function addTraceHeaders(headers: unknown, ctx?: Context): unknown {
  if (headers === undefined || headers === null) {
    const added = traceHeadersFor(() => false, ctx);
    return added.length === 0 ? undefined : Object.fromEntries(added);
  }
  if (Array.isArray(headers)) return addToFlat(headers as unknown[], ctx);
  if (typeof headers !== 'object') {
    reportProblem('adding trace headers to a request', 'left unknown headers alone');
    return undefined;
  }
  if (typeof (headers as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function') {
    // undici reads any non-array iterable as [name, value] pairs; arrays it reads flat.
    const flat: unknown[] = [];
    for (const pair of headers as Iterable<unknown>) {
      if (Array.isArray(pair)) flat.push(pair[0], pair[1]);
    }
    return addToFlat(flat, ctx) ?? flat;
  }
  const record = headers as Record<string, unknown>;
  const added = traceHeadersFor(recordHas(record), ctx);
  return added.length === 0 ? undefined : { ...record, ...Object.fromEntries(added) };
}

/**
 * A copy of `target` (`http.request` options, an undici dispatch) whose `headers` also carry
 * the trace headers of `ctx`, via {@link addTraceHeaders}; `target` itself when there is
 * nothing to add or adding failed (reported through `diag` as `where`). Never throws.
 *
 * @example
 * ```ts
 * withAddedTraceHeaders({ path: '/users', headers: { accept: '*' } }, 'adding trace headers to a request');
 * ```
 */
export function withAddedTraceHeaders<T extends object>(
  target: T,
  where: string,
  ctx?: Context,
): T {
  try {
    const headers = addTraceHeaders((target as { headers?: unknown }).headers, ctx);
    return headers === undefined ? target : { ...target, headers };
  } catch (error) {
    reportProblem(where, 'sent the request without trace headers', error);
    return target;
  }
}

// undici's array form is flat (lib/core/request.js: "headers array must be even").
function addToFlat(flat: readonly unknown[], ctx?: Context): unknown[] | undefined {
  const names = new Set<string>();
  for (let i = 0; i < flat.length; i += 2) names.add(String(flat[i]).toLowerCase());
  const added = traceHeadersFor((name) => names.has(name), ctx);
  return added.length === 0 ? undefined : [...flat, ...added.flat()];
}
