import { reapCollectors } from './collector/collector-registry'; // no `.js`: see collector-registry.ts

/**
 * Jest global teardown of the `integration` project: stops any collector a test left running
 * and says which, so the test can be fixed.
 */
export default async function globalTeardown(): Promise<void> {
  const leftovers = await reapCollectors();
  if (leftovers.length > 0) {
    console.warn(`stopped ${leftovers.length} collector(s) left running by tests:`, leftovers);
  }
}
