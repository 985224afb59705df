// The incoming request the http suites use: the headers autocannon sends (a `traceparent` and
// one baggage member among them), as Node's `rawHeaders`, on a request object with the fields
// traceRequests reads — for the in-process parts, which call tracelink without a network.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const PARENT_SPAN_ID = '00f067aa0ba902b7';
export const TRACEPARENT = `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`;
const BAGGAGE = 'tenant=acme';
export const RAW_HEADERS = [
  'Host',
  '127.0.0.1:3000',
  'User-Agent',
  'autocannon',
  'traceparent',
  TRACEPARENT,
  'baggage',
  BAGGAGE,
];
/** The same two headers as an object, as autocannon takes them. */
export const TRACE_HEADERS = { traceparent: TRACEPARENT, baggage: BAGGAGE };
// Only the fields tracelink reads: the cast is what lets a plain object stand in for Node's.
export const REQUEST = {
  rawHeaders: RAW_HEADERS,
  method: 'GET',
  url: '/orders?page=42',
} as unknown as IncomingMessage;
export const RESPONSE = {} as unknown as ServerResponse;
