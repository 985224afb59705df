import { ROOT_CONTEXT, propagation, trace } from '@opentelemetry/api';
import { createPropagator } from '../../src/propagation/create-propagator';
import { headerGetter } from '../../src/propagation/carriers';
import { EXAMPLE_SPAN_CONTEXT } from '../helpers/tracing';

describe('validOnly (through createPropagator)', () => {
  const jaeger = createPropagator(['jaeger']);

  it.each([':::', '::0:1', '0:0:0:1'])(
    'discards the all-zero ids Jaeger makes of uber-trace-id %j',
    (value) => {
      const extracted = jaeger.extract(ROOT_CONTEXT, { 'uber-trace-id': value }, headerGetter);
      expect(trace.getSpanContext(extracted)).toBeUndefined();
    },
  );

  it('restores the span the context had before an invalid extraction', () => {
    const before = trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT);
    const extracted = jaeger.extract(before, { 'uber-trace-id': ':::' }, headerGetter);
    expect(trace.getSpanContext(extracted)).toEqual(EXAMPLE_SPAN_CONTEXT);
  });

  it('keeps a valid extraction and the baggage extracted with an invalid one', () => {
    const valid = jaeger.extract(ROOT_CONTEXT, { 'uber-trace-id': 'abc:def:0:1' }, headerGetter);
    expect(trace.getSpanContext(valid)?.spanId).toBe('0000000000000def');
    const withBaggage = jaeger.extract(
      ROOT_CONTEXT,
      { 'uber-trace-id': ':::', 'uberctx-tenant': 'acme' },
      headerGetter,
    );
    expect(trace.getSpanContext(withBaggage)).toBeUndefined();
    expect(propagation.getBaggage(withBaggage)?.getEntry('tenant')?.value).toBe('acme');
  });
});
