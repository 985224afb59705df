// The "billing" service of the stack: node:http + winston + the OpenTelemetry SDK. POST /invoices
// logs, and either refuses an order without a positive quantity (an error log, 500) or publishes
// an "invoices" message with the trace context in its headers and answers with the invoice id.
// Lines go to stdout and, through tracelink's winston transport, to the collector.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import winston from 'winston';
import { withProducerSpan, traceRequests } from 'tracelink/propagation';
import { captureTraceContext, traceJson } from 'tracelink/winston';
import { WinstonOtlpTransport } from 'tracelink/winston-transport';
import { readBody } from './read-body.js';
import { startTracing } from './tracing.js';

const stopTracing = startTracing('billing');
const logger = captureTraceContext(
  winston.createLogger({
    defaultMeta: { service: 'billing' },
    format: traceJson(),
    transports: [
      new winston.transports.Console(),
      new WinstonOtlpTransport({ serviceName: 'billing' }),
    ],
  }),
);

class InvoiceError extends Error {
  override readonly name = 'InvoiceError';
}

let invoices = 0;
const server = createServer(
  traceRequests(async (req, res) => {
    const order = JSON.parse(await readBody(req)) as { quantity?: number };
    const invoice = `INV-${(invoices += 1)}`;
    logger.info('creating invoice', { invoice, quantity: order.quantity });
    if (!(typeof order.quantity === 'number' && order.quantity > 0)) {
      const error = new InvoiceError(`quantity must be positive, got ${order.quantity}`);
      logger.error('invoice refused', { invoice, error });
      res.statusCode = 500;
      res.end(error.message);
      return;
    }
    const headers: Record<string, string> = {};
    withProducerSpan({ system: 'ipc', destination: 'invoices' }, headers, () => {
      logger.info('publishing invoice event', { invoice });
      process.send?.({ topic: 'invoices', value: invoice, headers });
    });
    res.end(invoice);
  }),
);

server.listen(0, '127.0.0.1', () => {
  process.send?.({ ready: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => {
  server.close();
  // The span exporters flush; a store that cannot be reached is reported, not thrown. The winston
  // transport delivers what it holds when the process exits.
  stopTracing().catch((error: unknown) => console.error('billing: spans not delivered:', error));
});
