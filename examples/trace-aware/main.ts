// Trace-aware logging in a small checkout service, with no tracing SDK (lightweight mode):
// - buffering: each request's debug lines are held; a request that fails brings them with it,
//   a request that succeeds writes only its info line;
// - sampling: a request of an unsampled trace (its caller's traceparent ends in -00) writes
//   only its warnings and errors.
// It sends itself four requests, prints the JSON lines of pino and winston, then the counts.
//
//   npm run example:trace-aware
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import winston from 'winston';
import { pinoMixin, pinoTraceBuffer, pinoTraceSampling } from 'tracelink/pino';
import { setupPropagation, traceRequests } from 'tracelink/propagation';
import {
  captureTraceContext,
  traceJson,
  winstonTraceBuffer,
  winstonTraceSampling,
} from 'tracelink/winston';

setupPropagation();

// pino: sampling in the log call, then the buffer in front of stdout.
const pinoSampling = pinoTraceSampling({ keepLevel: 'warn' });
const pinoBuffer = pinoTraceBuffer(process.stdout);
const log = pino(
  {
    level: 'debug',
    base: { logger: 'pino' },
    mixin: pinoMixin(),
    hooks: { logMethod: pinoSampling.logMethod },
  },
  pinoBuffer,
);

// winston: the same two, on the logger instance.
const audit = captureTraceContext(
  winston.createLogger({
    level: 'debug',
    defaultMeta: { logger: 'winston' },
    format: winston.format.combine(winston.format.timestamp(), traceJson()),
    transports: [new winston.transports.Console()],
  }),
);
const winstonSampling = winstonTraceSampling(audit, { keepLevel: 'warn' });
const winstonBuffer = winstonTraceBuffer(audit);

const server = createServer(
  traceRequests(async (req, res) => {
    const path = req.url ?? '/';
    log.debug({ path }, 'loading the cart');
    audit.debug('cart loaded', { path, items: 3 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    log.debug({ path }, 'charging the card');
    log.info({ path }, 'checkout');
    if (path === '/checkout/declined') {
      log.warn({ path }, 'card declined');
      res.statusCode = 402;
    } else if (path === '/checkout/broken') {
      res.statusCode = 503; // the payment provider is down: the request fails
    }
    res.end();
  }),
);

async function call(port: number, path: string, flags: '01' | '00'): Promise<void> {
  const traceId = randomBytes(16).toString('hex');
  const traceparent = `00-${traceId}-00f067aa0ba902b7-${flags}`;
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { traceparent } });
  await response.arrayBuffer();
}

async function main(): Promise<void> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await call(port, '/checkout/ok', '01'); // succeeds: only its info line
  await call(port, '/checkout/broken', '01'); // fails (503): its debug lines follow
  await call(port, '/checkout/declined', '00'); // unsampled trace: only the warning
  await call(port, '/checkout/broken', '00'); // unsampled: sampling drops its lines before the buffer
  server.close();
  await once(server, 'close');
  await new Promise((resolve) => setTimeout(resolve, 20));
  const counts = {
    summary: true,
    pinoBuffer: pinoBuffer.stats(),
    winstonBuffer: winstonBuffer.stats(),
    pinoSampling: pinoSampling.stats(),
    winstonSampling: winstonSampling.stats(),
  };
  process.stdout.write(`${JSON.stringify(counts)}\n`);
  winstonBuffer.close();
  pinoBuffer.end();
}

void main();
