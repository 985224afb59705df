import { context, propagation } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { reportProblem } from '../../report-problem.js';
import { writeOwn } from '../header-value.js';

/** One header to add to an outgoing request: lower-case name, value. */
export type TraceHeader = readonly [name: string, value: string];

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
    if (typeof value === 'string') headers.push([name, value]);
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
