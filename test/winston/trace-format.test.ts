import winston from 'winston';
import { context, propagation } from '@opentelemetry/api';
import { InvalidOptionError } from 'tracelink';
import { traceFormat, traceJson } from 'tracelink/winston';
import { captureWinston } from '../helpers/winston-capture.js';
import {
  EXAMPLE_SPAN_CONTEXT,
  otelFieldsOf,
  useTracing,
  withSpanContext,
} from '../helpers/tracing.js';

const tracing = useTracing();

const { combine, json } = winston.format;

describe('traceFormat', () => {
  describe('with an active span', () => {
    it('stamps trace_id, span_id and trace_flags', async () => {
      const { logger, lines, finish } = captureWinston(combine(traceFormat(), json()));
      const expected = tracing.tracer.startActiveSpan('op', (span) => {
        logger.info('inside', { user: 'ada' });
        span.end();
        return otelFieldsOf(span);
      });
      await finish();
      expect(lines[0]).toEqual({ level: 'info', message: 'inside', user: 'ada', ...expected });
    });

    it.each([
      [
        'camel',
        {
          traceId: EXAMPLE_SPAN_CONTEXT.traceId,
          spanId: EXAMPLE_SPAN_CONTEXT.spanId,
          traceFlags: '01',
        },
      ],
      ['ecs', { 'trace.id': EXAMPLE_SPAN_CONTEXT.traceId, 'span.id': EXAMPLE_SPAN_CONTEXT.spanId }],
      ['datadog', { 'dd.trace_id': '11803532876627986230', 'dd.span_id': '67667974448284343' }],
    ] as const)('writes the %s profile', async (fields, expected) => {
      const { logger, lines, finish } = captureWinston(combine(traceFormat({ fields }), json()));
      withSpanContext(EXAMPLE_SPAN_CONTEXT, () => logger.info('x'));
      await finish();
      expect(lines[0]).toEqual({ level: 'info', message: 'x', ...expected });
    });

    it('overwrites a stale field of the same name', async () => {
      const { logger, lines, finish } = captureWinston(combine(traceFormat(), json()));
      withSpanContext(EXAMPLE_SPAN_CONTEXT, () => logger.info('x', { trace_id: 'stale' }));
      await finish();
      expect(lines[0]?.trace_id).toBe(EXAMPLE_SPAN_CONTEXT.traceId);
    });

    it('writes allow-listed baggage entries', async () => {
      const { logger, lines, finish } = captureWinston(
        combine(traceFormat({ baggage: ['tenant.id'] }), json()),
      );
      const baggage = propagation.createBaggage({ 'tenant.id': { value: 'acme' } });
      context.with(propagation.setBaggage(context.active(), baggage), () => logger.info('x'));
      await finish();
      expect(lines[0]).toEqual({ level: 'info', message: 'x', 'tenant.id': 'acme' });
    });
  });

  describe('without a valid span', () => {
    it('adds nothing', async () => {
      const { logger, lines, finish } = captureWinston(combine(traceFormat(), json()));
      logger.info('plain');
      withSpanContext({ ...EXAMPLE_SPAN_CONTEXT, spanId: '0000000000000000' }, () =>
        logger.info('invalid'),
      );
      await finish();
      expect(lines).toEqual([
        { level: 'info', message: 'plain' },
        { level: 'info', message: 'invalid' },
      ]);
    });
  });

  it('throws InvalidOptionError at creation for a bad option', () => {
    expect(() => traceFormat({ baggage: 'tenant.id' as never })).toThrow(InvalidOptionError);
  });
});

useTracing();

const MESSAGE = Symbol.for('message');
const EXAMPLE_FIELDS = {
  trace_id: EXAMPLE_SPAN_CONTEXT.traceId,
  span_id: EXAMPLE_SPAN_CONTEXT.spanId,
  trace_flags: '01',
};

/** The line logform's own json() writes for `info`. */
function jsonLine(info: Record<string, unknown>): string {
  const format = winston.format.json();
  const out = format.transform(info as never, format.options) as Record<symbol, string>;
  return out[MESSAGE];
}

function traceJsonLine(info: Record<string, unknown>): string {
  const out = traceJson().transform(info as never) as Record<symbol, string>;
  return out[MESSAGE];
}

function circular(): Record<string, unknown> {
  const record: Record<string, unknown> = { level: 'info', message: 'loop' };
  record.self = record;
  return record;
}

describe('traceJson', () => {
  describe('with an active span', () => {
    it('writes the record and the trace fields as one JSON line', async () => {
      const { logger, raw, finish } = captureWinston(traceJson());
      withSpanContext(EXAMPLE_SPAN_CONTEXT, () => logger.info('hi', { user: 'ada', n: 1 }));
      await finish();
      expect(raw[0]).toBe(
        '{"user":"ada","n":1,"level":"info","message":"hi",' +
          '"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","trace_flags":"01"}',
      );
    });

    it('writes a record field of the same name only once, with the span’s value', () => {
      const line = withSpanContext(EXAMPLE_SPAN_CONTEXT, () =>
        traceJsonLine({ level: 'info', message: 'x', span_id: 'stale' }),
      );
      expect(line.match(/"span_id"/g)).toHaveLength(1);
      expect(JSON.parse(line)).toMatchObject(EXAMPLE_FIELDS);
    });
  });

  describe('compared with format.json()', () => {
    it.each<[string, () => Record<string, unknown>]>([
      ['a plain record', () => ({ level: 'info', message: 'm', a: { b: [1, 'two', null] } })],
      [
        'nested objects and arrays',
        () => ({ level: 'warn', message: 'm', deep: { x: { y: { z: 1 } } } }),
      ],
      ['a Date', () => ({ level: 'info', message: 'm', at: new Date(0) })],
      ['a Buffer', () => ({ level: 'info', message: 'm', buf: Buffer.from('hi') })],
      [
        'Map and Set',
        () => ({ level: 'info', message: 'm', map: new Map([[1, 2]]), set: new Set([1]) }),
      ],
      ['NaN and Infinity', () => ({ level: 'info', message: 'm', nan: NaN, inf: Infinity })],
      [
        'undefined and functions',
        () => ({ level: 'info', message: 'm', u: undefined, f: () => 1 }),
      ],
      ['a BigInt', () => ({ level: 'info', message: 'm', big: 12345678901234567890n })],
      ['a circular reference', circular],
      ['a lone surrogate', () => ({ level: 'info', message: 'm\ud800' })],
      [
        'a __proto__ key',
        () =>
          JSON.parse('{"level":"info","message":"m","__proto__":{"x":1}}') as Record<
            string,
            unknown
          >,
      ],
      ['a 5 MB string', () => ({ level: 'info', message: 'x'.repeat(5 * 1024 * 1024) })],
      ['an Error', () => ({ level: 'error', message: 'm', error: new Error('boom') })],
    ])('writes the same JSON object as json(), without a span (%s)', (_name, make) => {
      expect(JSON.parse(traceJsonLine(make()))).toEqual(JSON.parse(jsonLine(make())));
    });

    it.each<[string, () => Record<string, unknown>]>([
      ['a BigInt', () => ({ level: 'info', message: 'm', big: 1n })],
      ['a circular reference', circular],
    ])('adds the trace fields to what json() writes (%s)', (_name, make) => {
      const line = withSpanContext(EXAMPLE_SPAN_CONTEXT, () => traceJsonLine(make()));
      expect(JSON.parse(line)).toEqual({ ...JSON.parse(jsonLine(make())), ...EXAMPLE_FIELDS });
    });
  });

  describe('with hostile records', () => {
    it('writes level and message alone when a getter throws', () => {
      const record: Record<string, unknown> = { level: 'info', message: 'm' };
      Object.defineProperty(record, 'bad', {
        enumerable: true,
        get() {
          throw new Error('getter');
        },
      });
      expect(JSON.parse(traceJsonLine(record))).toEqual({ level: 'info', message: 'm' });
    });

    it('survives nesting too deep for the stack', () => {
      let deep: Record<string, unknown> = {};
      for (let i = 0; i < 100_000; i++) deep = { d: deep };
      const line = withSpanContext(EXAMPLE_SPAN_CONTEXT, () =>
        traceJsonLine({ level: 'info', message: 'm', deep }),
      );
      expect(JSON.parse(line)).toEqual({ level: 'info', message: 'm', ...EXAMPLE_FIELDS });
    });

    it('keeps nesting of depth 1000', () => {
      let deep: Record<string, unknown> = {};
      for (let i = 0; i < 1000; i++) deep = { d: deep };
      const line = traceJsonLine({ level: 'info', message: 'm', deep });
      expect(line.length).toBeGreaterThan(5000);
    });

    it('leaves a record whose toJSON returns a string as json() would', () => {
      const make = () => ({ level: 'info', message: 'm', toJSON: () => 'replaced' });
      const line = withSpanContext(EXAMPLE_SPAN_CONTEXT, () => traceJsonLine(make()));
      expect(line).toBe(jsonLine(make()));
    });
  });
});
