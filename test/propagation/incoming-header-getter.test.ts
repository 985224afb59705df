import { ROOT_CONTEXT, propagation, trace } from '@opentelemetry/api';
import { createPropagator } from '../../src/propagation/create-propagator';
import { MAX_HEADER_VALUE_LENGTH } from '../../src/propagation/header-value';
import { incomingHeaderGetter } from '../../src/propagation/carriers';
import { EXAMPLE_TRACEPARENT } from '../helpers/tracing';

describe('incomingHeaderGetter', () => {
  it.each([
    ['a string', { traceparent: EXAMPLE_TRACEPARENT }, 'traceparent', EXAMPLE_TRACEPARENT],
    ['an array (set-cookie style)', { tracestate: ['a=1', 'b=2'] }, 'tracestate', ['a=1', 'b=2']],
    ['an absent header', {}, 'traceparent', undefined],
    ['a prototype name', {}, 'constructor', undefined],
    [
      'an oversized value',
      { baggage: 'k=' + 'v'.repeat(MAX_HEADER_VALUE_LENGTH) },
      'baggage',
      undefined,
    ],
    ['a non-string value', { traceparent: 42 as unknown as string }, 'traceparent', undefined],
  ])('reads %s', (_, headers, key, expected) => {
    expect(incomingHeaderGetter.get(headers, key)).toEqual(expected);
  });

  it('lists the own keys', () => {
    expect(incomingHeaderGetter.keys({ a: '1', b: '2' })).toEqual(['a', 'b']);
  });

  it('never throws on a carrier whose getter throws', () => {
    const hostile = Object.defineProperty({}, 'traceparent', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    expect(incomingHeaderGetter.get(hostile, 'traceparent')).toBeUndefined();
  });

  it('lets the propagator extract a span context from Node-style headers', () => {
    const extracted = createPropagator(['tracecontext', 'baggage']).extract(
      ROOT_CONTEXT,
      { traceparent: EXAMPLE_TRACEPARENT, baggage: 'tenant=acme' },
      incomingHeaderGetter,
    );
    expect(trace.getSpanContext(extracted)?.spanId).toBe('00f067aa0ba902b7');
    expect(propagation.getBaggage(extracted)?.getEntry('tenant')?.value).toBe('acme');
  });
});
