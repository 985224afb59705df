import { propagation } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';

/**
 * Writes the allow-listed baggage entries of `ctx` onto `target`, keyed by the baggage key.
 * Returns how many were written. Entries absent from the baggage are skipped.
 */
export function writeBaggageEntries(
  target: Record<string, unknown>,
  ctx: Context,
  keys: readonly string[],
): number {
  const baggage = propagation.getBaggage(ctx);
  if (baggage === undefined) return 0;
  let written = 0;
  for (const key of keys) {
    const entry = baggage.getEntry(key);
    if (entry !== undefined) {
      target[key] = entry.value;
      written++;
    }
  }
  return written;
}
