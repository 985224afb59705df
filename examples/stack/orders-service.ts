// The "orders" service of the stack: node:http + pino + the OpenTelemetry SDK. POST /orders logs,
// calls the billing service over HTTP and answers 201, or 502 with an error log when billing
// fails. It also consumes the "invoices" messages billing publishes (relayed over the processes'
// IPC pipe by the stack's runner). Lines go to stdout and, through tracelink's pino transport,
// to the collector.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { pinoMixin } from 'tracelink/pino';
import { traceRequests, tracedFetch, withConsumerSpan } from 'tracelink/propagation';
import { readBody } from './read-body.js';
import type { StackMessage } from './services.js';
import { startTracing } from './tracing.js';

const stopTracing = startTracing('orders');
const logger = pino(
  { base: { service: 'orders' }, mixin: pinoMixin() },
  pino.transport({
    targets: [
      { target: 'pino/file', options: { destination: 1 } },
      { target: 'tracelink/pino-transport', options: { serviceName: 'orders' } },
    ],
  }),
);
// The runner sends billing's address once billing listens.
let billingUrl = '';

class BillingError extends Error {
  override readonly name = 'BillingError';
}

const server = createServer(
  traceRequests(async (req, res) => {
    const order = await readBody(req);
    logger.info({ path: req.url }, 'order received');
    const answer = await tracedFetch(`${billingUrl}/invoices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: order,
    });
    const text = await answer.text();
    if (answer.ok) {
      logger.info({ status: answer.status, invoice: text }, 'billing answered');
      res.statusCode = 201;
    } else {
      const err = new BillingError(`billing answered ${answer.status}: ${text}`);
      logger.error({ err, status: answer.status }, 'order failed');
      res.statusCode = 502;
    }
    res.end(text);
  }),
);

// Messages arrive with their headers as the broker would hand them over.
process.on('message', (message: StackMessage) => {
  if (message.billingUrl !== undefined) billingUrl = message.billingUrl;
  if (message.topic === undefined) return;
  void withConsumerSpan({ system: 'ipc', destination: message.topic }, message.headers, () => {
    logger.info({ topic: message.topic, invoice: message.value }, 'invoice event consumed');
    process.send?.({ consumed: message.value });
  });
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ ready: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => {
  server.close();
  // The span exporters flush; a store that cannot be reached is reported, not thrown. The pino
  // transport delivers what it holds when the process exits.
  stopTracing().catch((error: unknown) => console.error('orders: spans not delivered:', error));
});
