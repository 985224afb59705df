import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { kafkaGetter, kafkaSetter, setupPropagation } from 'tracelink/propagation';
import type { KafkaHeaderList, KafkaHeaderRecord, KafkaHeaders } from 'tracelink/propagation';
import { EXAMPLE_SPAN_CONTEXT, EXAMPLE_TRACEPARENT } from '../helpers/tracing';

afterEach(() => {
  propagation.disable();
  context.disable();
});

describe('kafkaGetter', () => {
  describe('lookup (exact: Kafka header keys are case-sensitive)', () => {
    it.each<[string, KafkaHeaders, string | string[] | undefined]>([
      ['a kafkajs string', { traceparent: 'a' }, 'a'],
      ['a kafkajs Buffer', { traceparent: Buffer.from('a') }, 'a'],
      ['a kafkajs array', { traceparent: [Buffer.from('a'), 'b'] }, ['a', 'b']],
      ['another spelling, not at all', { TraceParent: 'a' }, undefined],
      ['an rdkafka entry', [{ other: 'x' }, { traceparent: Buffer.from('a') }], 'a'],
      ['a repeated rdkafka key', [{ traceparent: 'a' }, { traceparent: 'b' }], ['a', 'b']],
      ['an rdkafka list without the key', [{ other: 'x' }], undefined],
    ])('reads %s', (_, carrier, expected) => {
      expect(kafkaGetter.get(carrier, 'traceparent')).toEqual(expected);
    });

    it('lists keys of both shapes', () => {
      expect(kafkaGetter.keys({ a: 'x', b: 'y' })).toEqual(['a', 'b']);
      expect(kafkaGetter.keys([{ a: 'x' }, { b: 'y' }, { a: 'z' }])).toEqual(['a', 'b']);
    });
  });

  describe('with hostile headers', () => {
    it.each<[string, unknown]>([
      ['null entries in a list', [null, 42, { traceparent: 'a' }]],
      ['a huge Buffer', { traceparent: Buffer.alloc(1_000_000) }],
      ['a number', { traceparent: 7 }],
    ])('does not throw on %s', (_, carrier) => {
      expect(() => kafkaGetter.get(carrier as KafkaHeaders, 'traceparent')).not.toThrow();
    });
  });
});

describe('kafkaSetter', () => {
  it('sets a key on a kafkajs record', () => {
    const carrier: KafkaHeaderRecord = { traceparent: Buffer.from('old') };
    kafkaSetter.set(carrier, 'traceparent', 'new');
    expect(carrier).toEqual({ traceparent: 'new' });
  });

  it('replaces entries for the key in an rdkafka list', () => {
    const carrier: KafkaHeaderList = [
      { traceparent: 'old' },
      { other: 'x' },
      { traceparent: 'older' },
    ];
    kafkaSetter.set(carrier, 'traceparent', 'new');
    expect(carrier).toEqual([{ other: 'x' }, { traceparent: 'new' }]);
  });
});

describe('Kafka carriers through the global propagator', () => {
  it.each<[string, () => KafkaHeaders]>([
    ['kafkajs', () => ({})],
    ['node-rdkafka', () => []],
  ])('round-trips through %s headers as Buffers', (_, empty) => {
    setupPropagation();
    const carrier = empty();
    propagation.inject(
      trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT),
      carrier,
      kafkaSetter,
    );
    // What a consumer receives: every value as a Buffer.
    const received: KafkaHeaders = Array.isArray(carrier)
      ? carrier.map((entry) =>
          Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, Buffer.from(v)])),
        )
      : Object.fromEntries(Object.entries(carrier).map(([k, v]) => [k, Buffer.from(v as string)]));
    expect(kafkaGetter.get(received, 'traceparent')).toBe(EXAMPLE_TRACEPARENT);
    const ctx = propagation.extract(ROOT_CONTEXT, received, kafkaGetter);
    expect(trace.getSpanContext(ctx)).toEqual(EXAMPLE_SPAN_CONTEXT);
  });
});
