import { setTimeout as delay } from 'node:timers/promises';

/**
 * Calls `probe` every `intervalMs` until it returns `true` or `timeoutMs` has passed, and
 * resolves whether it succeeded. Always stops by itself: the deadline bounds the loop.
 *
 * @example
 * const up = await pollUntil(() => isHealthy(port), 20_000);
 */
export async function pollUntil(
  probe: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await delay(Math.min(intervalMs, left));
  }
}
