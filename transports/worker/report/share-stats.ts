import { isMainThread, parentPort, threadId, workerData } from 'node:worker_threads';
import { STATS_EVENT, STATS_LAYOUT, STATS_REQUEST } from '../../transport-stats.js';
import type { StatsCounters } from '../../transport-stats.js';

let shared = 0;

/**
 * Shares a pipeline's counters with the app's thread, where `pinoTransportStats(transport)`
 * and the winston transport's `stats()` read them: posts their `SharedArrayBuffer` on the
 * thread-stream as the {@link STATS_EVENT} event now, and again whenever the app's thread
 * asks ({@link STATS_REQUEST}, from a view made after this). Only in a thread-stream worker
 * (whose `workerData` carries its shared state): elsewhere there is no stream to post on.
 *
 * @example
 * ```ts
 * shareStats(pipeline.stats.counters);
 * ```
 */
export function shareStats(counters: StatsCounters): void {
  const port = parentPort;
  const data = workerData as { stateBuf?: unknown } | null | undefined;
  if (isMainThread || port === null || !(data?.stateBuf instanceof SharedArrayBuffer)) return;
  const id = `${threadId}:${shared++}`;
  const post = (): void =>
    port.postMessage({
      code: 'EVENT',
      name: STATS_EVENT,
      args: [counters.buffer, id, STATS_LAYOUT],
    });
  post();
  // A listener keeps the port referenced: no change, thread-stream keeps its worker alive until
  // the stream closes, and then ends it with process.exit().
  port.on('message', (message: { code?: unknown } | null) => {
    if (message?.code === STATS_REQUEST) post();
  });
}
