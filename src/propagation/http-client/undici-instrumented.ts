import { channel } from 'node:diagnostics_channel';

// @opentelemetry/instrumentation-undici (and other tracers) subscribe to this channel and add
// their own `traceparent` to the request it announces, after any interceptor has run. Adding
// ours as well would send two, which a W3C-conformant receiver treats as no parent at all.
const REQUEST_CREATE = channel('undici:request:create');

/**
 * Whether something observes undici's request creation — in practice an instrumentation that
 * makes CLIENT spans and injects their context, so tracelink should leave injection to it.
 */
export function isUndiciInstrumented(): boolean {
  return REQUEST_CREATE.hasSubscribers;
}
