import { propagation } from '@opentelemetry/api';
import type { Baggage, BaggageEntry } from '@opentelemetry/api';
import { DeferredBaggage } from '../../src/propagation/baggage-propagator';

const ENTRIES: Record<string, BaggageEntry> = {
  tenant: { value: 'acme' },
  region: { value: 'eu' },
  user: { value: 'u-1' },
};

const entriesOf = (baggage: Baggage): [string, BaggageEntry][] => baggage.getAllEntries();

describe('DeferredBaggage', () => {
  const deferred = (): Baggage => new DeferredBaggage(() => ({ ...ENTRIES }));
  const api = (): Baggage => propagation.createBaggage({ ...ENTRIES });

  it.each<[string, (baggage: Baggage) => unknown]>([
    ['getEntry', (b) => b.getEntry('region')],
    ['getEntry of a missing key', (b) => b.getEntry('nope')],
    ['getAllEntries', (b) => entriesOf(b)],
    ['setEntry', (b) => entriesOf(b.setEntry('tenant', { value: 'other' }))],
    ['removeEntry', (b) => entriesOf(b.removeEntry('tenant'))],
    ['removeEntries', (b) => entriesOf(b.removeEntries('tenant', 'user'))],
    ['clear', (b) => entriesOf(b.clear())],
  ])('answers %s as the API baggage does', (_, read) => {
    expect(read(deferred())).toEqual(read(api()));
  });

  it('stays unchanged by the baggage derived from it', () => {
    const baggage = deferred();
    baggage.setEntry('tenant', { value: 'other' });
    baggage.clear();
    expect(baggage.getEntry('tenant')).toEqual({ value: 'acme' });
  });
});
