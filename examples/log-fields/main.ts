// Request-scoped log fields and error spans, in a small HTTP service traced by the SDK.
//
//   node --import tsx examples/log-fields/main.ts
//
// - The middleware turns the `x-tenant-id` header into the log field `tenant`
//   (`logFieldHeaders`); the handler adds `orderId` with `withLogFields`. Every line of the
//   request — in this file, in billing.ts, through pino or winston — carries both.
// - A failed charge is logged at error level: with `markSpanOnError`, the request's span gets
//   an `exception` event and status ERROR. The example prints the finished spans last.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { withLogFields } from 'tracelink';
import { traceRequests } from 'tracelink/propagation';
import { chargeCard } from './billing.js';
import { auditLog, logger } from './logger.js';

const spans = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(provider);
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

const server = createServer(
  traceRequests(
    async (req, res) => {
      const orderId = Number(req.url?.split('/').pop());
      await withLogFields({ orderId }, async () => {
        logger.info('order received');
        try {
          await chargeCard(orderId * 10);
          auditLog.info('order paid');
          res.end('paid');
        } catch (error) {
          logger.error(error, 'charge failed'); // marks the request's span
          res.statusCode = 402;
          res.end('declined');
        }
      });
    },
    { logFieldHeaders: { 'x-tenant-id': 'tenant' } },
  ),
);

async function main(): Promise<void> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await Promise.all(
    [
      ['acme', 7],
      ['globex', 13],
    ].map(([tenant, orderId]) =>
      fetch(`http://127.0.0.1:${port}/orders/${orderId}`, {
        headers: { 'x-tenant-id': String(tenant) },
      }).then((res) => res.text()),
    ),
  );
  logger.info('outside any request: no tenant, no orderId');
  server.close();
  await provider.forceFlush();
  for (const span of spans.getFinishedSpans()) {
    const { traceId, spanId } = span.spanContext();
    const events = span.events.map((event) => ({ name: event.name, ...event.attributes }));
    console.log(JSON.stringify({ span: span.name, traceId, spanId, status: span.status, events }));
  }
  await provider.shutdown();
}

void main();
