// The incoming request the in-process benches hand to tracelink: the headers autocannon sends
// in bench/http-propagation.mjs (a `traceparent` and one baggage member among them), as Node's
// `rawHeaders`, on a request object with the fields traceRequests reads.
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
export const REQUEST = { rawHeaders: RAW_HEADERS, method: 'GET', url: '/orders?page=42' };
export const RESPONSE = {};
