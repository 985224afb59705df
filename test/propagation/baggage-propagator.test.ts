import fc from 'fast-check';
import { propagation, ROOT_CONTEXT, defaultTextMapGetter } from '@opentelemetry/api';
import type { Baggage, BaggageEntry, Context } from '@opentelemetry/api';
import {
  DeferredBaggage,
  BaggagePropagator,
  readPlainBaggage,
} from '../../src/propagation/baggage-propagator';
import { W3CBaggagePropagator } from '@opentelemetry/core';

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

const ours = new BaggagePropagator();
const openTelemetry = new W3CBaggagePropagator();

function contextEntriesOf(ctx: Context): [string, string, string | undefined][] | undefined {
  return propagation
    .getBaggage(ctx)
    ?.getAllEntries()
    .map(([key, entry]) => [key, entry.value, entry.metadata?.toString()]);
}

function extractBoth(header: string | string[]): [unknown, unknown] {
  const carrier = { baggage: header };
  return [
    contextEntriesOf(ours.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter)),
    contextEntriesOf(openTelemetry.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter)),
  ];
}

describe('BaggagePropagator', () => {
  describe('the plain-header fast path', () => {
    it.each([
      ['one member', 'tenant=acme', { tenant: { value: 'acme' } }],
      ['several members', 'a=1,b=2', { a: { value: '1' }, b: { value: '2' } }],
      ['a value with =', 'k=a=b', { k: { value: 'a=b' } }],
      ['a repeated key: the last value', 'k=1,k=2', { k: { value: '2' } }],
      ['empty members skipped', ',a=1,,', { a: { value: '1' } }],
      ['members without key or value skipped', '=1,b=,c,d=4', { d: { value: '4' } }],
    ])('reads %s', (_, header, expected) => {
      expect(readPlainBaggage(header)).toEqual(expected);
    });

    it.each([
      ['no member', ',,c'],
      ['only an empty key', '=v'],
    ])('finds no baggage in %s', (_, header) => {
      expect(readPlainBaggage(header)).toBeNull();
    });

    it.each([
      ['percent-encoding', 'user=J%C3%B6rg'],
      ['properties', 'k=v;prop=1'],
      ['whitespace', 'a = 1'],
      ['non-ASCII', 'k=ü'],
      ['a __proto__ key', '__proto__=x'],
      ['a 65th member', Array.from({ length: 65 }, (_, i) => `k${i}=v`).join(',')],
      ['a member over 4,096 characters', `k=${'v'.repeat(4095)}`],
      ['a header over 8,192 characters', `${'a=1,'.repeat(2049)}`],
    ])('leaves %s to OpenTelemetry', (_, header) => {
      expect(readPlainBaggage(header)).toBeUndefined();
    });
  });

  // The W3C Baggage vectors run through the global propagator in create-propagator.test.ts;
  // here the fast path is held to OpenTelemetry's parser on values built to hit its edges.
  it('extracts the same baggage as OpenTelemetry W3CBaggagePropagator', () => {
    const text = (chars: string, maxLength: number): fc.Arbitrary<string> =>
      fc.string({ unit: fc.constantFrom(...chars), maxLength });
    const member = fc.oneof(
      fc.tuple(text('abAB09_-*', 6), text('xyXY09=.~', 6)).map(([k, v]) => `${k}=${v}`),
      text('ab=,;% \t', 8),
      fc.constantFrom('', '=', 'k=', '=v', 'k=%41', 'k=v;p', '__proto__=1', 'constructor=1'),
    );
    const header = fc.array(member, { maxLength: 8 }).map((members) => members.join(','));
    fc.assert(
      fc.property(fc.oneof(header, fc.array(header, { minLength: 1, maxLength: 3 })), (value) => {
        const [fast, reference] = extractBoth(value);
        expect(fast).toEqual(reference);
      }),
      { numRuns: 5_000 },
    );
  });

  it('extracts the same baggage as OpenTelemetry at the member limits', () => {
    for (const count of [63, 64, 65, 179, 180, 181, 200]) {
      const header = Array.from({ length: count }, (_, i) => `k${i}=v${i}`).join(',');
      const [fast, reference] = extractBoth(header);
      expect(fast).toEqual(reference);
    }
  });

  it('injects as OpenTelemetry does', () => {
    const ctx = propagation.setBaggage(
      ROOT_CONTEXT,
      propagation.createBaggage({ user: { value: 'Jörg D' }, tenant: { value: 'acme' } }),
    );
    const fromOurs: Record<string, string> = {};
    const fromOpenTelemetry: Record<string, string> = {};
    const setter = { set: (c: Record<string, string>, k: string, v: string) => (c[k] = v) };
    ours.inject(ctx, fromOurs, setter);
    openTelemetry.inject(ctx, fromOpenTelemetry, setter);
    expect(fromOurs).toEqual(fromOpenTelemetry);
    expect(ours.fields()).toEqual(['baggage']);
  });
});
