// Two Node services continuing one trace, with no tracing SDK anywhere (lightweight mode):
//   client --HTTP--> orders (pino) --HTTP--> billing (winston) --message--> orders (pino)
// Each service runs in its own process; the message hop goes through a tiny broker (broker.ts).
// Sends three orders, prints every service's JSON log lines, then one summary line per order.
//
//   npm run example:two-services
//
// Every line of one order — in both services and across the message hop — has one trace_id.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { relayMessages } from './broker.js';

const ORDERS = 3;

function start(file: string, env: Record<string, string> = {}): ChildProcess {
  return fork(resolve(__dirname, file), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    serialization: 'advanced', // Buffers in message headers arrive as binary, as from a broker
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
}

async function readyPort(child: ChildProcess): Promise<number> {
  for (;;) {
    const [message] = (await once(child, 'message')) as [{ ready?: number }];
    if (message.ready !== undefined) return message.ready;
  }
}

const lines: Record<string, unknown>[] = [];
function collect(child: ChildProcess): void {
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) {
      process.stdout.write(`${line}\n`);
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
}

async function main(): Promise<void> {
  const billing = start('./billing-service.ts');
  collect(billing);
  const billingPort = await readyPort(billing);
  const orders = start('./orders-service.ts', { BILLING_URL: `http://127.0.0.1:${billingPort}` });
  collect(orders);
  const ordersPort = await readyPort(orders);
  relayMessages(billing, orders);

  let consumed = 0;
  const allConsumed = new Promise<void>((resolve) => {
    orders.on('message', (message: { consumed?: string }) => {
      if (message.consumed !== undefined && (consumed += 1) === ORDERS) resolve();
    });
  });
  for (let i = 0; i < ORDERS; i += 1) {
    // The first order comes from a traced caller; the others start a new trace at the edge.
    const headers: Record<string, string> =
      i === 0 ? { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } : {};
    const answer = await fetch(`http://127.0.0.1:${ordersPort}/orders`, {
      method: 'POST',
      headers,
    });
    await answer.text();
  }
  await Promise.race([allConsumed, new Promise((r) => setTimeout(r, 5000))]);
  await new Promise((resolve) => setTimeout(resolve, 100)); // let the last lines reach us
  billing.disconnect();
  orders.disconnect();

  const byTrace = new Map<string, Set<string>>();
  for (const line of lines) {
    const traceId = String(line.trace_id);
    const services = byTrace.get(traceId) ?? new Set<string>();
    services.add(`${String(line.service)}:${String(line.msg ?? line.message)}`);
    byTrace.set(traceId, services);
  }
  for (const [traceId, steps] of byTrace) {
    console.log(`trace ${traceId}: ${[...steps].join(' → ')}`);
  }
}

void main();
