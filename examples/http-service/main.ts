// A small HTTP service traced by the OpenTelemetry SDK that logs through pino and winston
// with tracelink. It sends itself a few requests, each inside a client span whose context
// travels in the `traceparent` header, prints the correlated JSON lines, and exits.
//
//   npm run example
//
// Every line logged while handling a request carries that request's trace_id and span_id.
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import pino from 'pino';
import winston from 'winston';
import { pinoMixin } from 'tracelink/pino';
import { captureTraceContext, traceJson } from 'tracelink/winston';
import { startTracing } from './tracing.js';

const stopTracing = startTracing();
const tracer = trace.getTracer('tracelink-example');

const pinoLogger = pino({ base: { logger: 'pino' }, mixin: pinoMixin() });
const winstonLogger = captureTraceContext(
  winston.createLogger({
    defaultMeta: { logger: 'winston' },
    format: traceJson(),
    transports: [new winston.transports.Console()],
  }),
);

const server = createServer((req, res) => {
  // Continue the caller's trace: extract its context from the headers, start a SERVER span.
  const parent = propagation.extract(context.active(), req.headers);
  tracer.startActiveSpan(`GET ${req.url}`, { kind: SpanKind.SERVER }, parent, (span) => {
    pinoLogger.info({ url: req.url }, 'request received');
    setTimeout(() => {
      winstonLogger.info('answering', { url: req.url });
      res.end('ok');
      span.end();
    }, 5);
  });
});

function get(port: number, path: string): Promise<void> {
  return tracer.startActiveSpan(`client GET ${path}`, { kind: SpanKind.CLIENT }, async (span) => {
    const headers: Record<string, string> = {};
    propagation.inject(context.active(), headers);
    pinoLogger.info({ path, traceparent: headers.traceparent }, 'calling');
    const req = request({ port, host: '127.0.0.1', path, headers });
    req.end();
    const [res] = (await once(req, 'response')) as [NodeJS.ReadableStream];
    res.resume();
    await once(res, 'end');
    span.end();
  });
}

async function main(): Promise<void> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await Promise.all(['/orders', '/users', '/health'].map((path) => get(port, path)));
  pinoLogger.info('done: every line of one request shares its trace_id');
  server.close();
  await stopTracing();
}

void main();
