import type { EventEmitter } from 'node:events';
import { describeError, writeStderrLine } from '../stderr.js';

/** What `pino.transport()` returns (a thread-stream), as {@link closePinoTransport} uses it. */
export type PinoTransportStream = EventEmitter & { end(): void; readonly closed?: boolean };

/**
 * thread-stream's own limit: its `end()` gives up on a worker that has not finished within
 * 10 s (and terminates it), and the transport's worker keeps to `exitBudgetMillis` (5 s by
 * default) before that: 'close' comes well within it.
 */
const THREAD_STREAM_END_LIMIT_MILLIS = 10_000;

/**
 * Ends a pino transport and resolves once its worker has delivered what it held — or counted
 * and reported on stderr what it could not, within the transport's `exitBudgetMillis` — and
 * has exited. Log nothing through the transport after calling it.
 *
 * Waiting for the transport's `'close'` yourself does not work: pino unrefs the worker once it
 * is ready, so while the worker finishes nothing keeps the event loop alive, and the process
 * ends before `'close'` comes (an ES module exits with code 13, an unsettled top-level await;
 * in CommonJS the code after the `await` never runs). This keeps the process alive until then,
 * and resolves at the latest after `timeoutMillis` whatever happens.
 *
 * @param transport what `pino.transport()` returned (`target` or `targets`).
 * @param timeoutMillis the longest wait. @default 10000 (thread-stream's own limit for a
 *   worker to end)
 * @example
 * ```ts
 * import { closePinoTransport } from 'tracelink/pino-transport';
 *
 * const transport = pino.transport({ target: 'tracelink/pino-transport', options });
 * const logger = pino(transport);
 * logger.info('last words');
 * await closePinoTransport(transport); // the collector has the records
 * ```
 */
export function closePinoTransport(
  transport: PinoTransportStream,
  timeoutMillis = THREAD_STREAM_END_LIMIT_MILLIS,
): Promise<void> {
  if (transport.closed === true) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      // A ref'd timer keeps the event loop alive until the worker has exited.
      clearTimeout(timer);
      transport.removeListener('close', done);
      transport.removeListener('error', failed);
      resolve();
    };
    // thread-stream emits 'error' when the worker failed to end; without a listener it would
    // crash the process. The 'close' that follows resolves.
    const failed = (error: unknown): void =>
      writeStderrLine(`tracelink: closing the pino transport failed: ${describeError(error)}`);
    const timer = setTimeout(done, timeoutMillis);
    transport.once('close', done);
    transport.on('error', failed);
    try {
      // Synchronous when nothing is pending: thread-stream waits for the worker to finish.
      transport.end();
    } catch (error) {
      failed(error);
      done();
    }
  });
}
