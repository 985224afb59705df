import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { amqpGetter, amqpSetter, setupPropagation } from 'tracelink/propagation';
import type { AmqpHeaders } from 'tracelink/propagation';
import { EXAMPLE_SPAN_CONTEXT } from '../helpers/tracing';

afterEach(() => {
  propagation.disable();
  context.disable();
});

describe('amqpGetter', () => {
  describe('lookup (exact: AMQP field-table names are case-sensitive)', () => {
    it.each<[string, AmqpHeaders, string | string[] | undefined]>([
      ['a string', { traceparent: 'a' }, 'a'],
      ['a Buffer', { traceparent: Buffer.from('a') }, 'a'],
      ['another spelling, not at all', { Traceparent: 'a' }, undefined],
      ['a number field, not at all', { traceparent: 1 }, undefined],
      ['a nested table, not at all', { traceparent: { a: 'b' } }, undefined],
      ['a boolean, not at all', { traceparent: true }, undefined],
    ])('reads %s', (_, carrier, expected) => {
      expect(amqpGetter.get(carrier, 'traceparent')).toEqual(expected);
    });
  });
});

describe('amqpSetter', () => {
  it('writes string values', () => {
    const carrier: AmqpHeaders = { 'x-death': [] };
    amqpSetter.set(carrier, 'traceparent', 'x');
    expect(carrier).toEqual({ 'x-death': [], traceparent: 'x' });
  });
});

describe('AMQP carriers through the global propagator', () => {
  it('round-trips, with values received as Buffers', () => {
    setupPropagation();
    const headers: AmqpHeaders = {};
    propagation.inject(
      trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT),
      headers,
      amqpSetter,
    );
    const received = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, Buffer.from(v as string)]),
    );
    const ctx = propagation.extract(ROOT_CONTEXT, received, amqpGetter);
    expect(trace.getSpanContext(ctx)).toEqual(EXAMPLE_SPAN_CONTEXT);
  });
});
