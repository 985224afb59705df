// The "orders" service: node:http + pino, no tracing SDK (tracelink's lightweight mode).
// POST /orders logs, calls the billing service over HTTP, and answers. It also consumes the
// "invoices" messages the billing service publishes (through the example broker in main.ts).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { pinoMixin } from 'tracelink/pino';
import {
  setupPropagation,
  traceRequests,
  tracedFetch,
  withConsumerSpan,
} from 'tracelink/propagation';
import type { BrokerMessage } from './broker.js';

setupPropagation();
const logger = pino({ base: { service: 'orders' }, mixin: pinoMixin() });
const billingUrl = process.env.BILLING_URL ?? 'http://127.0.0.1:3001';

const server = createServer(
  traceRequests(async (req, res) => {
    logger.info({ path: req.url }, 'order received');
    const answer = await tracedFetch(`${billingUrl}/invoices`, { method: 'POST' });
    logger.info({ status: answer.status }, 'billing answered');
    res.statusCode = answer.ok ? 201 : 502;
    res.end(JSON.stringify({ invoice: await answer.text() }));
  }),
);

// Messages arrive as kafkajs hands them over: header values as Buffers.
process.on('message', (message: BrokerMessage) => {
  const headers: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries(message.headers)) headers[key] = Buffer.from(value);
  void withConsumerSpan({ system: 'example-broker', destination: message.topic }, headers, () => {
    logger.info({ topic: message.topic, invoice: message.value }, 'invoice event consumed');
    process.send?.({ consumed: message.value });
  });
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ ready: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => server.close());
