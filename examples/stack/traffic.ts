// Traffic for the stack: POST /orders, a few at a time; every `failEvery`-th order has quantity
// 0, which billing refuses (500) and orders reports as failed (502).

/** What one order came back with. */
export interface OrderResult {
  readonly index: number;
  readonly quantity: number;
  readonly status: number;
}

/** How much traffic to send. */
export interface TrafficOptions {
  readonly orders: number;
  /** @default 5 (one order in five fails) */
  readonly failEvery?: number;
  /** Orders in flight at once. @default 8 */
  readonly concurrency?: number;
}

/** Sends the orders (no trace context: each starts a trace in the orders service). */
export async function sendOrders(
  ordersUrl: string,
  options: TrafficOptions,
): Promise<OrderResult[]> {
  const { orders, failEvery = 5, concurrency = 8 } = options;
  const results: OrderResult[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < orders) {
      const index = next++;
      const quantity = (index + 1) % failEvery === 0 ? 0 : 1 + (index % 3);
      const answer = await fetch(`${ordersUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ quantity }),
        signal: AbortSignal.timeout(30_000),
      });
      await answer.text();
      results.push({ index, quantity, status: answer.status });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results.sort((a, b) => a.index - b.index);
}
