/**
 * The `http.request.method` value of a request method: the method itself when it is one of
 * the known methods (semconv "HTTP Spans": RFC 9110 plus PATCH, compared case-sensitively),
 * else `_OTHER`, which keeps the attribute's cardinality bounded.
 *
 * @example
 * ```ts
 * normalizeMethod('GET'); // 'GET'
 * normalizeMethod('get'); // '_OTHER'
 * ```
 */
export function normalizeMethod(method: string | undefined): string {
  switch (method) {
    case 'GET':
    case 'POST':
    case 'PUT':
    case 'DELETE':
    case 'HEAD':
    case 'OPTIONS':
    case 'PATCH':
    case 'CONNECT':
    case 'TRACE':
      return method;
    default:
      return OTHER_METHOD;
  }
}

/** semconv `HTTP_REQUEST_METHOD_VALUE_OTHER`. */
export const OTHER_METHOD = '_OTHER';

/**
 * The method part of a server span name: the method, or `HTTP` for `_OTHER` (semconv "Name":
 * `{method} {target}`, with `HTTP` standing in for an unknown method).
 *
 * @example
 * ```ts
 * spanNameMethod('_OTHER'); // 'HTTP'
 * ```
 */
export function spanNameMethod(normalized: string): string {
  return normalized === OTHER_METHOD ? 'HTTP' : normalized;
}
