// The "billing" service: node:http + winston, no tracing SDK (tracelink's lightweight mode).
// POST /invoices logs, publishes an "invoices" message with the trace context in its headers
// (through the example broker in main.ts), and answers with the invoice id.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import winston from 'winston';
import { setupPropagation, traceRequests, withProducerSpan } from 'tracelink/propagation';
import { captureTraceContext, traceJson } from 'tracelink/winston';

setupPropagation();
const logger = captureTraceContext(
  winston.createLogger({
    defaultMeta: { service: 'billing' },
    format: traceJson(),
    transports: [new winston.transports.Console()],
  }),
);

let invoices = 0;
const server = createServer(
  traceRequests((_req, res) => {
    const invoice = `INV-${(invoices += 1)}`;
    logger.info('creating invoice', { invoice });
    const headers: Record<string, string> = {};
    withProducerSpan({ system: 'example-broker', destination: 'invoices' }, headers, () => {
      logger.info('publishing invoice event', { invoice });
      process.send?.({ topic: 'invoices', value: invoice, headers });
    });
    res.end(invoice);
  }),
);

server.listen(0, '127.0.0.1', () => {
  process.send?.({ ready: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => server.close());
