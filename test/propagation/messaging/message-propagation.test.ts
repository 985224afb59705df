import fc from 'fast-check';
import { ROOT_CONTEXT, context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import { extractFromMessage, injectIntoMessage, setupPropagation } from 'tracelink/propagation';
import { headerGetter, incomingHeaderGetter } from '../../../src/propagation/carriers.js';
import type { MessageHeaders } from 'tracelink/propagation';
import { EXAMPLE_SPAN_CONTEXT, EXAMPLE_TRACEPARENT } from '../../helpers/tracing';

const ALL = ['tracecontext', 'baggage', 'b3', 'b3multi', 'xray', 'jaeger'];
const HEADER_NAMES = [
  'traceparent',
  'tracestate',
  'baggage',
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-sampled',
  'x-b3-flags',
  'x-amzn-trace-id',
  'uber-trace-id',
  'uberctx-k',
  '__proto__',
  'constructor',
];

// Strings close to real header values, so the property reaches the parsers' edge cases.
const hexish = fc.string({
  unit: fc.constantFrom(...'0123456789abcdefABCDEF-:;=, \t'.split('')),
  maxLength: 80,
});
const headerText = fc.oneof(
  hexish,
  fc.string({ maxLength: 100 }),
  fc.constant(EXAMPLE_TRACEPARENT),
);
const headerValue = fc.oneof(
  headerText,
  headerText.map((text) => Buffer.from(text)),
  fc.array(headerText, { maxLength: 3 }),
  fc.anything(),
);
const headerName = fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.string({ maxLength: 12 }));
const headerObject = fc
  .array(fc.tuple(headerName, headerValue), { maxLength: 8 })
  .map((entries) => {
    const record = {};
    for (const [key, value] of entries) {
      Object.defineProperty(record, key, {
        value,
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
    return record;
  });
const messageHeaders: fc.Arbitrary<unknown> = fc.oneof(
  headerObject,
  headerObject.map((record) => new Map(Object.entries(record))),
  fc.array(headerObject, { maxLength: 4 }),
  fc.anything(),
);

beforeAll(() => setupPropagation({ propagators: ALL }));
afterAll(() => {
  propagation.disable();
  context.disable();
});

function expectValidOrNone(ctx: ReturnType<typeof context.active>): void {
  const sc = trace.getSpanContext(ctx);
  if (sc !== undefined) expect(isSpanContextValid(sc)).toBe(true);
}

describe('injectIntoMessage', () => {
  it('writes the active context with the global propagator', () => {
    const headers = context.with(trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT), () =>
      injectIntoMessage({}),
    );
    expect(headers).toMatchObject({
      traceparent: EXAMPLE_TRACEPARENT,
      b3: `${EXAMPLE_SPAN_CONTEXT.traceId}-${EXAMPLE_SPAN_CONTEXT.spanId}-1`,
    });
  });

  it.each<[string, () => MessageHeaders]>([
    ['a record', () => ({})],
    ['a list', () => []],
    ['a Map', () => new Map()],
  ])('round-trips through %s', (_, empty) => {
    const headers = injectIntoMessage(
      empty(),
      trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT),
    );
    expect(trace.getSpanContext(extractFromMessage(headers, ROOT_CONTEXT))).toEqual(
      EXAMPLE_SPAN_CONTEXT,
    );
  });

  it('does not throw on a frozen carrier', () => {
    const headers = Object.freeze({});
    expect(
      injectIntoMessage(headers, trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT)),
    ).toBe(headers);
  });
});

describe('extractFromMessage', () => {
  it('reads on top of the active context', () => {
    const ctx = extractFromMessage({ traceparent: Buffer.from(EXAMPLE_TRACEPARENT) });
    expect(trace.getSpanContext(ctx)).toEqual(EXAMPLE_SPAN_CONTEXT);
  });

  it('looks keys up exactly, as Kafka and AMQP do', () => {
    expect(
      trace.getSpanContext(extractFromMessage({ TraceParent: EXAMPLE_TRACEPARENT })),
    ).toBeUndefined();
  });

  it.each([[null], [undefined], ['traceparent'], [42]])(
    'gives back the context for %j',
    (headers) => {
      expect(extractFromMessage(headers as unknown as MessageHeaders, ROOT_CONTEXT)).toBe(
        ROOT_CONTEXT,
      );
    },
  );

  describe('with random headers (property)', () => {
    it('never throws and never yields an invalid span context from message headers', () => {
      fc.assert(
        fc.property(messageHeaders, (headers) => {
          expectValidOrNone(extractFromMessage(headers as MessageHeaders, ROOT_CONTEXT));
        }),
        { numRuns: 2000 },
      );
    });

    it('never throws and never yields an invalid span context from HTTP-like headers', () => {
      fc.assert(
        fc.property(headerObject, (headers) => {
          expectValidOrNone(propagation.extract(ROOT_CONTEXT, headers, headerGetter));
        }),
        { numRuns: 2000 },
      );
    });

    it('never throws and never yields an invalid span context from Node request headers', () => {
      fc.assert(
        fc.property(headerObject, (headers) => {
          expectValidOrNone(propagation.extract(ROOT_CONTEXT, headers, incomingHeaderGetter));
        }),
        { numRuns: 2000 },
      );
    });
  });
});
