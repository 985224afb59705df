// The two example services as child processes: orders (pino) and billing (winston). The runner
// relays billing's "invoices" messages to orders over their IPC pipes, and keeps every JSON line
// each service prints on stdout: what the services wrote, to compare with what the stores hold.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/** A message on the IPC pipe: a published message, a consumed notice, a ready port, billing's address. */
export interface StackMessage {
  readonly topic?: string;
  readonly value?: string;
  readonly headers?: Record<string, string>;
  readonly consumed?: string;
  readonly ready?: number;
  readonly billingUrl?: string;
}

/** A JSON line a service printed; `trace_id` and `span_id` come from tracelink's fields. */
export interface ServiceLine {
  readonly service: 'orders' | 'billing';
  readonly trace_id?: string;
  readonly span_id?: string;
  /** pino's message. */
  readonly msg?: string;
  /** winston's message. */
  readonly message?: string;
  readonly [field: string]: unknown;
}

/** The running services. */
export interface RunningServices {
  /** `POST ${ordersUrl}/orders` with `{ "quantity": n }`; n ≤ 0 fails in billing. */
  readonly ordersUrl: string;
  /** Every JSON line printed so far, by both services. */
  readonly lines: ServiceLine[];
  /** How many "invoices" messages orders has consumed. */
  consumed(): number;
  /** Disconnects both (they close their servers and flush spans and logs) and waits for them to exit. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000; // tsx compiles each service on start: slow on a loaded machine
const EXIT_TIMEOUT_MS = 20_000; // the transports' exit budget is 5 s, the span exporters' 10 s

/** Where the services send their telemetry. */
export interface ServiceEndpoints {
  readonly collectorOtlpHttp: string;
  readonly zipkin: string;
}

function start(file: string, env: Record<string, string>, lines: ServiceLine[]): ChildProcess {
  const child = fork(join(__dirname, file), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) {
      if (line.startsWith('{')) lines.push(JSON.parse(line) as ServiceLine);
      else if (line.trim() !== '') process.stdout.write(`${line}\n`);
    }
  });
  return child;
}

async function readyPort(child: ChildProcess, name: string): Promise<number> {
  const timeout = AbortSignal.timeout(READY_TIMEOUT_MS);
  for (;;) {
    const [message] = (await once(child, 'message', { signal: timeout }).catch(() => {
      throw new Error(`the ${name} service did not start within ${READY_TIMEOUT_MS} ms`);
    })) as [StackMessage];
    if (message.ready !== undefined) return message.ready;
  }
}

async function exit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Starts billing, then orders (which calls billing), and relays billing's messages to orders. */
export async function startServices(endpoints: ServiceEndpoints): Promise<RunningServices> {
  const lines: ServiceLine[] = [];
  const env = {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoints.collectorOtlpHttp,
    ZIPKIN_SPANS_URL: `${endpoints.zipkin}/api/v2/spans`,
  };
  const billing = start('billing-service.ts', env, lines);
  const orders = start('orders-service.ts', env, lines);
  try {
    const [billingPort, ordersPort] = await Promise.all([
      readyPort(billing, 'billing'),
      readyPort(orders, 'orders'),
    ]);
    // Sent before any request, and IPC messages arrive in order.
    orders.send({ billingUrl: `http://127.0.0.1:${billingPort}` });
    let consumed = 0;
    billing.on('message', (message: StackMessage) => {
      if (message.topic !== undefined) orders.send(message);
    });
    orders.on('message', (message: StackMessage) => {
      if (message.consumed !== undefined) consumed += 1;
    });
    return {
      ordersUrl: `http://127.0.0.1:${ordersPort}`,
      lines,
      consumed: () => consumed,
      stop: () => Promise.all([exit(orders), exit(billing)]).then(() => undefined),
    };
  } catch (error) {
    await Promise.all([exit(orders), exit(billing)]);
    throw error;
  }
}
