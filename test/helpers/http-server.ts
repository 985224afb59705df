import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-base';

export { EXAMPLE_TRACEPARENT } from './tracing.js';

/** Listens on 127.0.0.1, a free port; resolves the base URL. */
export async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a server, dropping kept-alive connections first. */
export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Replaces the propagator `useTracing` installs (baggage only) with tracecontext + baggage. */
export function useW3CPropagators(): void {
  propagation.disable();
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
}

/** Lightweight mode: a context manager and the W3C propagators, no tracer provider. */
export function useLightweightMode(): void {
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  useW3CPropagators();
  afterAll(() => {
    manager.disable();
    context.disable();
    propagation.disable();
  });
}

/** Resolves once the exporter holds `count` finished spans. */
export async function finishedSpans(
  exporter: InMemorySpanExporter,
  count = 1,
  timeoutMs = 3000,
): Promise<ReadableSpan[]> {
  const deadline = Date.now() + timeoutMs;
  while (exporter.getFinishedSpans().length < count) {
    if (Date.now() > deadline) {
      throw new Error(`only ${exporter.getFinishedSpans().length} of ${count} spans finished`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return exporter.getFinishedSpans();
}

/** Collects `diag.warn` messages for the whole file. */
export function captureDiag(): string[] {
  const messages: string[] = [];
  const logger: DiagLogger = {
    error: () => undefined,
    warn: (message: string) => messages.push(message),
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  };
  diag.setLogger(logger, DiagLogLevel.WARN);
  afterAll(() => diag.disable());
  return messages;
}
