import { ROOT_CONTEXT, propagation, trace } from '@opentelemetry/api';
import fc from 'fast-check';
import { createPropagator } from '../../src/propagation/create-propagator';
import { MAX_HEADER_VALUE_LENGTH } from '../../src/propagation/header-value';
import { rawHeaderGetter, readRawHeader } from '../../src/propagation/carriers';
import { EXAMPLE_TRACEPARENT } from '../helpers/tracing';

describe('rawHeaderGetter', () => {
  it.each<[string, string[], string, string | string[] | undefined]>([
    [
      'a lower-case name',
      ['host', 'x', 'traceparent', EXAMPLE_TRACEPARENT],
      'traceparent',
      EXAMPLE_TRACEPARENT,
    ],
    [
      'a name in another case',
      ['TraceParent', EXAMPLE_TRACEPARENT],
      'traceparent',
      EXAMPLE_TRACEPARENT,
    ],
    [
      'a repeated field as an array',
      ['baggage', 'a=1', 'Baggage', 'b=2'],
      'baggage',
      ['a=1', 'b=2'],
    ],
    ['an absent header', ['host', 'x'], 'traceparent', undefined],
    ['a name of the same length', ['traceparenT', 'v', 'tracepar3nt', 'w'], 'traceparent', 'v'],
    [
      'an oversized value',
      ['baggage', 'k='.padEnd(MAX_HEADER_VALUE_LENGTH + 1, 'v')],
      'baggage',
      undefined,
    ],
    ['a trailing name without value', ['traceparent'], 'traceparent', undefined],
  ])('reads %s', (_, raw, key, expected) => {
    expect(rawHeaderGetter.get(raw, key)).toEqual(expected);
  });

  it('lists the names, lower-cased, once each', () => {
    expect(rawHeaderGetter.keys(['Host', 'a', 'host', 'b', 'X-B3-TraceId', 'c'])).toEqual([
      'host',
      'x-b3-traceid',
    ]);
  });

  it('finds every value of a name, in order, ignoring case (property)', () => {
    const name = fc.constantFrom('traceparent', 'TraceParent', 'tracestate', 'baggage', 'x-other');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(name, fc.string({ maxLength: 20 })), { maxLength: 8 }),
        (pairs) => {
          const raw = pairs.flat();
          for (const key of ['traceparent', 'tracestate', 'baggage']) {
            const values = pairs.filter(([n]) => n.toLowerCase() === key).map(([, v]) => v);
            const expected =
              values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
            expect(readRawHeader(raw, key)).toEqual(expected);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('lets the propagators extract from a raw header list', () => {
    const extracted = createPropagator(['tracecontext', 'baggage']).extract(
      ROOT_CONTEXT,
      ['Host', 'example', 'traceparent', EXAMPLE_TRACEPARENT, 'baggage', 'tenant=acme'],
      rawHeaderGetter,
    );
    expect(trace.getSpanContext(extracted)?.spanId).toBe('00f067aa0ba902b7');
    expect(propagation.getBaggage(extracted)?.getEntry('tenant')?.value).toBe('acme');
  });

  it('treats a repeated traceparent as invalid (W3C test_traceparent_duplicated)', () => {
    const extracted = createPropagator(['tracecontext']).extract(
      ROOT_CONTEXT,
      ['traceparent', EXAMPLE_TRACEPARENT, 'traceparent', EXAMPLE_TRACEPARENT],
      rawHeaderGetter,
    );
    expect(trace.getSpanContext(extracted)).toBeUndefined();
  });
});
