import { context, propagation } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { reportProblem } from '../../core/report-problem.js';
import { writeOwn } from '../header-value.js';
import { isSendableHeader } from '../header-value.js';

/** One header to add to an outgoing request: lower-case name, value. */
export type TraceHeader = readonly [name: string, value: string];

/** Told the headers actually added to a request (after the caller's own won). */
export type OnAdded = (added: readonly TraceHeader[]) => void;

// Fields that only make sense together. When the caller set one of a group, the injected
// others are dropped too: W3C Trace Context §3.3 ties `tracestate` to the `traceparent` it
// travels with, and B3 multi-header fields describe one span between them. Fields outside a
// group (`baggage`, `b3`, `uber-trace-id`, …) are decided one by one.
const COUPLED_FIELDS: readonly (readonly string[])[] = [
  ['traceparent', 'tracestate'],
  ['x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags'],
];

/**
 * The headers the global propagator writes for `ctx`, minus those the caller already set.
 * `hasHeader` answers for the request's own headers, case-insensitively. The caller's
 * explicit header always wins: a request is never sent with two `traceparent`s, and a caller
 * who forwards a context by hand keeps control of it. Never throws: a failing propagator
 * gives no headers (the request still goes out) and a `diag` message.
 */
export function traceHeadersFor(
  hasHeader: (lowerCaseName: string) => boolean,
  ctx: Context = context.active(),
): TraceHeader[] {
  const injected = injectAll(ctx);
  if (injected.length === 0) return injected;
  const skipped = new Set<string>();
  for (const [name] of injected) {
    if (!hasHeader(name)) continue;
    const group = COUPLED_FIELDS.find((fields) => fields.includes(name));
    for (const field of group ?? [name]) skipped.add(field);
  }
  return skipped.size === 0 ? injected : injected.filter(([name]) => !skipped.has(name));
}

function injectAll(ctx: Context): TraceHeader[] {
  // A null-prototype record: a propagator writing `__proto__` cannot reach a prototype.
  const carrier: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  try {
    propagation.inject(ctx, carrier, {
      set: (target: Record<string, unknown>, key, value) =>
        writeOwn(target, key.toLowerCase(), value),
    });
  } catch (error) {
    reportProblem(
      'injecting into an outgoing request',
      'sent the request without trace headers',
      error,
    );
    return [];
  }
  const headers: TraceHeader[] = [];
  for (const name of Object.keys(carrier)) {
    const value = carrier[name];
    if (typeof value !== 'string') continue;
    if (isSendableHeader(name, value)) headers.push([name, value]);
    else
      reportProblem(
        'injecting into an outgoing request',
        `left out the header ${JSON.stringify(name)}: not sendable`,
      );
  }
  return headers;
}

/** Case-insensitive membership over the names of a header record. */
export function recordHas(record: object): (lowerCaseName: string) => boolean {
  let names: Set<string> | undefined;
  return (name) => {
    names ??= new Set(Object.keys(record).map((key) => key.toLowerCase()));
    return names.has(name);
  };
}

/**
 * Adds the trace headers of `ctx` to the headers of an undici dispatch or a `http.request`,
 * in a shape both accept: a record, a flat `[name, value, name, value]` array (Node's
 * `rawHeaders` format, undici's array form), or an iterable of pairs (`Headers`, `Map`), which
 * comes back as a flat array. The input is never mutated; `undefined` means "unchanged".
 */
export function addTraceHeaders(headers: unknown, ctx?: Context, onAdded?: OnAdded): unknown {
  if (headers === undefined || headers === null) {
    const added = traceHeadersFor(() => false, ctx);
    onAdded?.(added);
    return added.length === 0 ? undefined : Object.fromEntries(added);
  }
  if (Array.isArray(headers)) return addToFlat(headers as unknown[], ctx, onAdded);
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
    return addToFlat(flat, ctx, onAdded) ?? flat;
  }
  const record = headers as Record<string, unknown>;
  const added = traceHeadersFor(recordHas(record), ctx);
  onAdded?.(added);
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
  onAdded?: OnAdded,
): T {
  try {
    const headers = addTraceHeaders((target as { headers?: unknown }).headers, ctx, onAdded);
    return headers === undefined ? target : { ...target, headers };
  } catch (error) {
    reportProblem(where, 'sent the request without trace headers', error);
    return target;
  }
}

// undici's array form is flat (lib/core/request.js: "headers array must be even").
function addToFlat(
  flat: readonly unknown[],
  ctx?: Context,
  onAdded?: OnAdded,
): unknown[] | undefined {
  const names = new Set<string>();
  for (let i = 0; i < flat.length; i += 2) names.add(String(flat[i]).toLowerCase());
  const added = traceHeadersFor((name) => names.has(name), ctx);
  onAdded?.(added);
  return added.length === 0 ? undefined : [...flat, ...added.flat()];
}

/**
 * The value of `name` among headers to add, if any.
 *
 * @example
 * ```ts
 * addedValue([['traceparent', '00-…-01']], 'traceparent'); // '00-…-01'
 * ```
 */
export function addedValue(added: readonly TraceHeader[], name: string): string | undefined {
  for (const [key, value] of added) if (key === name) return value;
  return undefined;
}
