// Another module: it knows nothing of tenants or orders, yet its lines carry both.
import { logger } from './logger.js';

export async function chargeCard(amount: number): Promise<void> {
  logger.info({ amount }, 'charging the card');
  await new Promise((resolve) => setTimeout(resolve, 2));
  if (amount > 100) throw new RangeError(`card declined for ${amount}`);
}
