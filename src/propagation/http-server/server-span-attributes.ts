import type { Attributes } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';
import { OTHER_METHOD } from './http-method.js';

// Attribute names are the stable HTTP semantic conventions (@opentelemetry/semantic-conventions
// ATTR_* constants), written as literals so that package stays a development dependency.

// semconv `url.query`: the values of these keys SHOULD be replaced by `REDACTED` (the list
// @opentelemetry/instrumentation-http also redacts).
const REDACTED_QUERY_KEYS = new Set([
  'AWSAccessKeyId',
  'Signature',
  'sig',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
]);

interface MaybeTlsSocket {
  readonly encrypted?: boolean;
  readonly remoteAddress?: string;
  readonly remotePort?: number;
}

/**
 * The attributes of a SERVER span known when the request arrives, given to the sampler at
 * span creation as the conventions ask. Only computed when a tracing SDK is registered.
 *
 * @example
 * ```ts
 * tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: serverSpanAttributes(req, 'GET') });
 * ```
 */
export function serverSpanAttributes(req: IncomingMessage, method: string): Attributes {
  const headers = req.headers;
  const socket = req.socket as MaybeTlsSocket | null | undefined;
  const scheme = socket?.encrypted === true ? 'https' : 'http';
  const attributes: Attributes = {
    'http.request.method': method,
    'url.scheme': scheme,
    'network.protocol.version': req.httpVersion,
  };
  if (method === OTHER_METHOD) attributes['http.request.method_original'] = String(req.method);
  const target = typeof req.url === 'string' ? req.url : '';
  const query = target.indexOf('?');
  attributes['url.path'] = query === -1 ? target : target.slice(0, query);
  if (query !== -1) attributes['url.query'] = redactQuery(target.slice(query + 1));
  if (typeof headers.host === 'string') writeHost(attributes, headers.host, scheme);
  const peer = socket?.remoteAddress;
  if (peer !== undefined) {
    attributes['network.peer.address'] = peer;
    if (socket?.remotePort !== undefined) attributes['network.peer.port'] = socket.remotePort;
  }
  // semconv `client.address`: the original client from X-Forwarded-For when present, else
  // the peer.
  const client = firstForwardedFor(headers['x-forwarded-for']) ?? peer;
  if (client !== undefined) attributes['client.address'] = client;
  const userAgent = headers['user-agent'];
  if (typeof userAgent === 'string') attributes['user_agent.original'] = userAgent;
  return attributes;
}

function writeHost(attributes: Attributes, host: string, scheme: string): void {
  // `[::1]:8080` — the brackets delimit an IPv6 literal (RFC 9110 §7.2, RFC 3986 §3.2.2).
  const closing = host.startsWith('[') ? host.indexOf(']') : -1;
  const colon = host.indexOf(':', closing === -1 ? 0 : closing);
  const address =
    closing !== -1 ? host.slice(1, closing) : colon === -1 ? host : host.slice(0, colon);
  if (address === '') return;
  attributes['server.address'] = address;
  const port = colon === -1 ? (scheme === 'https' ? 443 : 80) : Number(host.slice(colon + 1));
  if (Number.isInteger(port) && port > 0 && port < 65536) attributes['server.port'] = port;
}

function firstForwardedFor(value: string | string[] | undefined): string | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (header === undefined) return undefined;
  const comma = header.indexOf(',');
  const first = (comma === -1 ? header : header.slice(0, comma)).trim();
  return first === '' ? undefined : first;
}

function redactQuery(query: string): string {
  if (query === '') return query;
  const pairs = query.split('&');
  let changed = false;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    const equals = pair.indexOf('=');
    if (equals !== -1 && REDACTED_QUERY_KEYS.has(pair.slice(0, equals))) {
      pairs[i] = `${pair.slice(0, equals)}=REDACTED`;
      changed = true;
    }
  }
  return changed ? pairs.join('&') : query;
}
