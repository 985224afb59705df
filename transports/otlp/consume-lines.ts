import type { Readable } from 'node:stream';

/**
 * Hands every line of `source` (pino-abstract-transport's line stream) to `onLine`, in order,
 * and settles when the stream ends: resolves at its end (or close), rejects on its error or
 * when `onLine` throws. When `onLine` returns a promise, the stream is paused until it
 * settles; that is the transport's backpressure.
 *
 * Listening to `'data'` rather than iterating the stream with `for await`: the async iterator
 * costs a promise and a microtask per line. In a 100k-line pino burst, a transport that only
 * counts lines peaked at 180 MiB instead of 202 and took them in 553 ms instead of 610
 * (medians; `npm run bench:intake`, bench/RESULTS.md "What the transport's line intake costs").
 */
export function consumeLines(
  source: Readable,
  onLine: (line: string) => Promise<void> | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: unknown): void => {
      source.off('data', take);
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    function take(line: string): void {
      let wait: Promise<void> | undefined;
      try {
        wait = onLine(line);
      } catch (error) {
        fail(error);
        return;
      }
      if (wait === undefined) return;
      source.pause();
      wait.then(() => source.resume(), fail);
    }
    source.on('data', take);
    source.once('end', resolve);
    // Destroyed before its end (the worker terminated): nothing more comes.
    source.once('close', resolve);
    source.once('error', fail);
  });
}
