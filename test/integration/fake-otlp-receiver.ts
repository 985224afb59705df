import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pollUntil } from './poll-until.js';

/**
 * How the fake answers one request. Only for fault injection: whether data arrives correctly is
 * checked against the real collector.
 */
export type FakeResponse =
  /** 200 with an empty ExportLogsServiceResponse: no bytes for protobuf, `{}` for JSON. */
  | { readonly kind: 'ok' }
  /** Any status, e.g. 429 or 503, with an optional `Retry-After` (seconds or an HTTP date). */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly retryAfter?: number | string;
      readonly body?: string;
    }
  /** Waits `ms`, then answers as `then` does (default `ok`). */
  | { readonly kind: 'delay'; readonly ms: number; readonly then?: FakeResponse }
  /** Reads the request, then resets the TCP connection (RST) without answering. */
  | { readonly kind: 'reset' };

/** A request as the fake received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** `content-type` without parameters, `''` when absent. */
  readonly contentType: string;
  /** The body bytes as sent (still compressed if `content-encoding` says so). */
  readonly body: Buffer;
  /** `Date.now()` when the body had arrived. */
  readonly receivedAt: number;
}

/**
 * Answers per request: a list (request i gets entry i, the last entry repeats) or a function
 * of the request and its 0-based index.
 */
export type FakeReceiverScript =
  readonly FakeResponse[] | ((request: RecordedRequest, index: number) => FakeResponse);

/** A running fake OTLP/HTTP endpoint. */
export interface FakeReceiver {
  /** Base URL, e.g. `http://127.0.0.1:41236`. */
  readonly url: string;
  /** `url + '/v1/logs'`. */
  readonly logsUrl: string;
  /** Every request so far, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Polls until at least `count` requests arrived, then returns them all; throws on timeout. */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Cancels pending delayed answers, drops open connections and stops listening. */
  close(): Promise<void>;
}

const CONTENT_TYPES = new Set(['application/x-protobuf', 'application/json']);

function pickResponse(script: FakeReceiverScript, request: RecordedRequest, index: number) {
  if (typeof script === 'function') return script(request, index);
  return script[Math.min(index, script.length - 1)] ?? { kind: 'ok' };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/**
 * Starts a fake OTLP/HTTP receiver on 127.0.0.1 (`port`, else a free one) that answers as
 * `script` says and records every request.
 *
 * @example
 * const fake = await startFakeReceiver([{ kind: 'status', status: 429, retryAfter: 1 }, { kind: 'ok' }]);
 * // … export to fake.logsUrl …
 * expect(fake.requests).toHaveLength(2);
 * await fake.close();
 */
export async function startFakeReceiver(
  script: FakeReceiverScript = [{ kind: 'ok' }],
  /** The port to listen on; a free one by default. */
  port = 0,
): Promise<FakeReceiver> {
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  function answer(req: IncomingMessage, res: ServerResponse, response: FakeResponse, type: string) {
    if (res.destroyed) return;
    switch (response.kind) {
      case 'ok':
        if (!CONTENT_TYPES.has(type)) return void res.writeHead(415).end();
        res.writeHead(200, { 'content-type': type });
        return void res.end(type === 'application/json' ? '{}' : '');
      case 'status': {
        const headers: Record<string, string> = { 'content-type': type || 'text/plain' };
        if (response.retryAfter !== undefined) headers['retry-after'] = String(response.retryAfter);
        res.writeHead(response.status, headers);
        return void res.end(response.body ?? '');
      }
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer(req, res, response.then ?? { kind: 'ok' }, type);
        }, response.ms);
        return void timers.add(timer);
      }
      case 'reset':
        return void req.socket.resetAndDestroy();
    }
  }

  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => {
        const request: RecordedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          contentType: (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '',
          body,
          receivedAt: Date.now(),
        };
        requests.push(request);
        answer(req, res, pickResponse(script, request, requests.length - 1), request.contentType);
      },
      () => req.socket.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    logsUrl: `${url}/v1/logs`,
    requests,
    async waitForRequests(count, timeoutMs = 10_000) {
      if (await pollUntil(() => requests.length >= count, timeoutMs, 10)) return [...requests];
      throw new Error(
        `expected at least ${count} requests within ${timeoutMs} ms, but ${requests.length} arrived`,
      );
    },
    close() {
      timers.forEach((timer) => clearTimeout(timer));
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
