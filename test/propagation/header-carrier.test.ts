import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import {
  headerGetter,
  headerSetter,
  MAX_HEADER_VALUE_LENGTH,
  setupPropagation,
} from 'tracelink/propagation';
import type { HeaderRecord } from 'tracelink/propagation';
import { EXAMPLE_SPAN_CONTEXT, EXAMPLE_TRACEPARENT } from '../helpers/tracing';

afterEach(() => {
  propagation.disable();
  context.disable();
});

describe('headerGetter', () => {
  describe('lookup (ASCII case-insensitive, as HTTP field names are)', () => {
    it.each<[string, HeaderRecord, string | string[] | undefined]>([
      ['an exact key', { traceparent: 'a' }, 'a'],
      ['another spelling', { TraceParent: 'a' }, 'a'],
      ['both spellings, together', { traceparent: 'a', TRACEPARENT: 'b' }, ['a', 'b']],
      ['an array value', { traceparent: ['a', 'b'] }, ['a', 'b']],
      ['a missing key', { other: 'a' }, undefined],
    ])('reads %s', (_, carrier, expected) => {
      expect(headerGetter.get(carrier, 'traceparent')).toEqual(expected);
    });
  });

  describe('with hostile headers', () => {
    it.each<[string, unknown]>([
      ['a number', 42],
      ['an object', { toString: () => 'x' }],
      ['a value over the length limit', 'x'.repeat(MAX_HEADER_VALUE_LENGTH + 1)],
      ['an array of non-strings', [1, {}, null]],
    ])('treats %s as absent', (_, value) => {
      expect(
        headerGetter.get({ traceparent: value } as HeaderRecord, 'traceparent'),
      ).toBeUndefined();
    });

    it('does not read inherited properties', () => {
      expect(headerGetter.get({}, 'constructor')).toBeUndefined();
      expect(headerGetter.get({}, '__proto__')).toBeUndefined();
    });

    it('reads an own __proto__ key as a header (JSON.parse makes those)', () => {
      const carrier = JSON.parse('{"__proto__": "x"}') as HeaderRecord;
      expect(headerGetter.get(carrier, '__proto__')).toBe('x');
    });

    it('survives a throwing getter', () => {
      const carrier = Object.defineProperty({}, 'traceparent', {
        enumerable: true,
        get: () => {
          throw new Error('boom');
        },
      }) as HeaderRecord;
      expect(headerGetter.get(carrier, 'traceparent')).toBeUndefined();
    });
  });
});

describe('headerSetter', () => {
  it('replaces other spellings of the same header', () => {
    const carrier: HeaderRecord = { TraceParent: 'old', other: 'x' };
    headerSetter.set(carrier, 'traceparent', 'new');
    expect(carrier).toEqual({ traceparent: 'new', other: 'x' });
  });

  it('writes __proto__ as an own key, never the prototype', () => {
    const carrier: HeaderRecord = {};
    headerSetter.set(carrier, '__proto__', 'x');
    expect(Object.getPrototypeOf(carrier)).toBe(Object.prototype);
    expect(Object.keys(carrier)).toEqual(['__proto__']);
  });

  it('survives a frozen carrier', () => {
    expect(() =>
      headerSetter.set(Object.freeze({}) as HeaderRecord, 'traceparent', 'x'),
    ).not.toThrow();
  });
});

describe('header carriers through the global propagator', () => {
  it('round-trips trace context and baggage', () => {
    setupPropagation();
    const carrier: HeaderRecord = {};
    const sent = propagation.setBaggage(
      trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT),
      propagation.createBaggage({ tenant: { value: 'acme' } }),
    );
    propagation.inject(sent, carrier, headerSetter);
    expect(carrier).toEqual({ traceparent: EXAMPLE_TRACEPARENT, baggage: 'tenant=acme' });
    const received = propagation.extract(
      ROOT_CONTEXT,
      { TraceParent: EXAMPLE_TRACEPARENT, Baggage: 'tenant=acme' },
      headerGetter,
    );
    expect(trace.getSpanContext(received)).toEqual(EXAMPLE_SPAN_CONTEXT);
    expect(propagation.getBaggage(received)?.getEntry('tenant')?.value).toBe('acme');
  });
});
