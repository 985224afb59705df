import fc from 'fast-check';
import { setupPropagation } from 'tracelink/propagation';
import { MAX_HEADER_VALUE_LENGTH, MAX_HEADER_VALUES } from '../../src/propagation/header-value.js';
import {
  headerGetter,
  headerSetter,
  mapGetter,
  mapSetter,
  amqpGetter,
  amqpSetter,
  kafkaGetter,
  kafkaSetter,
} from '../../src/propagation/carriers.js';
import type {
  HeaderRecord,
  AmqpHeaders,
  KafkaHeaderList,
  KafkaHeaderRecord,
  KafkaHeaders,
} from '../../src/propagation/carriers.js';
import { readOwn, toHeaderValue, writeOwn } from '../../src/propagation/header-value.js';
import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { EXAMPLE_SPAN_CONTEXT, EXAMPLE_TRACEPARENT } from '../helpers/tracing';
import { createPropagator } from '../../src/propagation/create-propagator';
import {
  incomingHeaderGetter,
  rawHeaderGetter,
  readRawHeader,
} from '../../src/propagation/carriers';

describe('toHeaderValue', () => {
  it.each<[string, unknown, string | string[] | undefined]>([
    ['a string', 'a', 'a'],
    ['a Buffer, as UTF-8', Buffer.from('Jörg'), 'Jörg'],
    ['a Uint8Array', new TextEncoder().encode('a'), 'a'],
    ['one array item, unwrapped', ['a'], 'a'],
    ['array items, skipping non-strings', ['a', 1, Buffer.from('b')], ['a', 'b']],
    ['undefined', undefined, undefined],
    ['null', null, undefined],
    ['a number', 1, undefined],
    ['an object', {}, undefined],
    ['an empty array', [], undefined],
    [
      'a string at the limit',
      'x'.repeat(MAX_HEADER_VALUE_LENGTH),
      'x'.repeat(MAX_HEADER_VALUE_LENGTH),
    ],
    ['a string over the limit', 'x'.repeat(MAX_HEADER_VALUE_LENGTH + 1), undefined],
    ['a Buffer over the limit', Buffer.alloc(MAX_HEADER_VALUE_LENGTH + 1), undefined],
  ])('reads %s', (_, raw, expected) => {
    expect(toHeaderValue(raw, 'test')).toEqual(expected);
  });

  it(`keeps the first ${MAX_HEADER_VALUES} values of a longer array`, () => {
    const values = Array.from({ length: MAX_HEADER_VALUES + 10 }, (_, i) => String(i));
    expect(toHeaderValue(values, 'test')).toEqual(values.slice(0, MAX_HEADER_VALUES));
  });
});

describe('readOwn / writeOwn', () => {
  it('never reads or writes a prototype', () => {
    const record = {};
    expect(readOwn(record, 'toString')).toBeUndefined();
    writeOwn(record, '__proto__', 'x');
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(readOwn(record, '__proto__')).toBe('x');
  });
});

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
