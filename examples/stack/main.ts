// Logs and traces in real stores: VictoriaLogs (logs), Jaeger (traces, via the collector) and
// Zipkin (traces, with a web UI whose "Logs" button opens the trace's logs in VictoriaLogs).
//
//   npm run stack
//
// Builds the stores and the collector once (cached under .cache/), starts them on 127.0.0.1 with
// the two services, sends orders (one in five fails), prints the URLs to open, and runs until
// Ctrl-C, which stops everything.
import { setTimeout as delay } from 'node:timers/promises';
import { startServices } from './services.js';
import type { RunningServices } from './services.js';
import type { RunningStores } from './stores.js';
import { startStores } from './stores.js';
import { sendOrders } from './traffic.js';

const ORDERS = 20;

const running: { stores?: RunningStores; services?: RunningServices } = {};
let stopping = false;

let stops = Promise.resolve();

/**
 * Stops what has started: the services (they flush), then the collector and the stores. Calls
 * run one after another, each stopping what the ones before it left.
 */
function stopAll(): Promise<void> {
  stopping = true;
  stops = stops.then(async () => {
    const { services, stores } = running;
    running.services = undefined;
    running.stores = undefined;
    await services?.stop();
    await stores?.stop();
    if (stores) console.log(`stopped; the processes' logs are in ${stores.dir}`);
  });
  return stops;
}

// Registered first: Ctrl-C while the stores start still stops them once they are up.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log('\nstopping…');
    void stopAll();
  });
}

async function main(): Promise<void> {
  console.log('building (once) and starting VictoriaLogs, Jaeger, Zipkin and the collector…');
  const stores = await startStores();
  running.stores = stores;
  if (stopping) return stopAll();
  const { urls } = stores;
  const services = await startServices(urls);
  running.services = services;
  if (stopping) return stopAll();
  const results = await sendOrders(services.ordersUrl, { orders: ORDERS });
  const failed = results.filter((result) => result.status !== 201).length;
  // Let the last messages be consumed and the batches reach the stores.
  for (let i = 0; i < 50 && services.consumed() < ORDERS - failed; i += 1) await delay(100);
  await delay(2000);

  const traceOf = (text: string): string =>
    String(services.lines.find((line) => (line.msg ?? line.message) === text)?.trace_id);
  const failedTrace = traceOf('order failed');
  const okTrace = traceOf('billing answered');
  const logsOf = (traceId: string): string =>
    `${urls.victoriaLogs}/select/vmui/#/?query=${encodeURIComponent(`trace_id:="${traceId}"`)}`;
  console.log(`
sent ${ORDERS} orders, ${failed} failed; ${services.lines.length} log lines written.

A failing order:
  its trace in Zipkin     ${urls.zipkin}/zipkin/traces/${failedTrace}   (press "Logs")
  its logs in VictoriaLogs ${logsOf(failedTrace)}
  its trace from Jaeger    ${urls.jaegerQuery}/api/v3/traces/${failedTrace}
A successful order:
  its trace in Zipkin     ${urls.zipkin}/zipkin/traces/${okTrace}
  its logs in VictoriaLogs ${logsOf(okTrace)}
All logs: ${urls.victoriaLogs}/select/vmui/#/?query=${encodeURIComponent('*')}
More orders: curl -X POST -d '{"quantity":0}' ${services.ordersUrl}/orders

Ctrl-C stops everything.`);
}

main().catch(async (error: unknown) => {
  // Stopped with Ctrl-C while starting or sending: not a failure.
  if (!stopping) {
    console.error(error);
    process.exitCode = 1;
  }
  await stopAll();
});
