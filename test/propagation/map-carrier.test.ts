import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { mapGetter, mapSetter, setupPropagation } from 'tracelink/propagation';

const SPAN_CONTEXT = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
};

afterEach(() => {
  propagation.disable();
  context.disable();
});

describe('mapGetter', () => {
  describe('lookup (exact, as Map keys are)', () => {
    it.each<[string, Map<string, unknown>, string | string[] | undefined]>([
      ['a string', new Map([['traceparent', 'a']]), 'a'],
      ['a Buffer', new Map([['traceparent', Buffer.from('a')]]), 'a'],
      ['another spelling, not at all', new Map([['TraceParent', 'a']]), undefined],
      ['a number, not at all', new Map([['traceparent', 1]]), undefined],
    ])('reads %s', (_, carrier, expected) => {
      expect(mapGetter.get(carrier, 'traceparent')).toEqual(expected);
    });
  });

  it('lists only string keys', () => {
    const carrier = new Map<unknown, unknown>([
      ['a', 'x'],
      [1, 'y'],
    ]);
    expect(mapGetter.keys(carrier as Map<string, unknown>)).toEqual(['a']);
  });
});

describe('Map carriers through the global propagator', () => {
  it('round-trips', () => {
    setupPropagation();
    const headers = new Map<string, string>();
    propagation.inject(trace.setSpanContext(ROOT_CONTEXT, SPAN_CONTEXT), headers, mapSetter);
    expect([...headers.keys()]).toEqual(['traceparent']);
    const ctx = propagation.extract(ROOT_CONTEXT, headers, mapGetter);
    expect(trace.getSpanContext(ctx)).toEqual({ ...SPAN_CONTEXT, isRemote: true });
  });
});
