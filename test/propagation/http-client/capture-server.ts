import { createServer } from 'node:http';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, diag, DiagLogLevel, propagation } from '@opentelemetry/api';
import type { TextMapPropagator } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createPropagator } from '../../../src/propagation/create-propagator';
import { EXAMPLE_SPAN_CONTEXT } from '../../helpers/tracing';

/** The W3C example `traceparent`, and another one a caller might set explicitly. */
export { EXAMPLE_TRACEPARENT as TRACEPARENT } from '../../helpers/tracing';

/**
 * What a request sent under the W3C example span carries in lightweight mode: the same trace
 * id and flags, and a parent-id of its own (never the active span's).
 */
export const CHILD_TRACEPARENT: unknown = expect.stringMatching(
  new RegExp(
    `^00-${EXAMPLE_SPAN_CONTEXT.traceId}-(?!${EXAMPLE_SPAN_CONTEXT.spanId})[0-9a-f]{16}-01$`,
  ),
);
export const CALLER_TRACEPARENT = '00-11111111111111111111111111111111-2222222222222222-01';

/** A real HTTP server on 127.0.0.1 that keeps the headers of every request it receives. */
export interface CaptureServer {
  readonly url: string;
  readonly port: number;
  /** Headers of each request, oldest first. */
  readonly received: IncomingHttpHeaders[];
  /** The headers of the most recent request. */
  last(): IncomingHttpHeaders;
  close(): Promise<void>;
}

export async function startCaptureServer(): Promise<CaptureServer> {
  const received: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    last() {
      const headers = received.at(-1);
      if (headers === undefined) throw new Error('no request received');
      return headers;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A capture server for the whole test file: started before its first test, closed after its
 * last. The returned object reads through to it, so it can be used at the top level.
 */
export function useCaptureServer(): CaptureServer {
  let server: CaptureServer | undefined;
  const started = (): CaptureServer => {
    if (server === undefined) throw new Error('the capture server is not started yet');
    return server;
  };
  beforeAll(async () => {
    server = await startCaptureServer();
  });
  afterAll(() => started().close());
  return {
    get url() {
      return started().url;
    },
    get port() {
      return started().port;
    },
    get received() {
      return started().received;
    },
    last: () => started().last(),
    close: () => started().close(),
  };
}

/** Starts one `http.request`-style call whose response goes to `done`. */
export type SendRequest = (done: (res: IncomingMessage) => void) => ClientRequest;

/** Sends one `http.request`-style call and resolves once its response has been read. */
export function exchange(send: SendRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = send((res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The W3C propagators as the global propagator, and AsyncLocalStorage, for one test file. */
export function useW3CPropagation(): void {
  beforeAll(() => {
    propagation.disable();
    propagation.setGlobalPropagator(createPropagator(['tracecontext', 'baggage']));
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => {
    propagation.disable();
    context.disable();
  });
}

/** A propagator whose `inject` always throws. */
export const THROWING_PROPAGATOR: TextMapPropagator = {
  inject() {
    throw new Error('propagator failure');
  },
  extract: (ctx) => ctx,
  fields: () => ['traceparent'],
};

/** Runs `fn` with the global propagator replaced by `replacement`, then puts W3C back. */
export async function withPropagator<T>(
  replacement: TextMapPropagator,
  fn: () => Promise<T>,
): Promise<T> {
  propagation.disable();
  propagation.setGlobalPropagator(replacement);
  try {
    return await fn();
  } finally {
    propagation.disable();
    propagation.setGlobalPropagator(createPropagator(['tracecontext', 'baggage']));
  }
}

/** Collects `diag` warnings for one test file. */
export function useDiagWarnings(): string[] {
  const warnings: string[] = [];
  beforeAll(() => {
    const log = (message: string) => warnings.push(message);
    diag.setLogger(
      { error: log, warn: log, info: () => {}, debug: () => {}, verbose: () => {} },
      DiagLogLevel.WARN,
    );
  });
  afterAll(() => diag.disable());
  return warnings;
}
