import { EventEmitter, once } from 'node:events';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { context, propagation, trace } from '@opentelemetry/api';
import pino from 'pino';
import { pinoMixin } from 'tracelink/pino';
import { InvalidOptionError } from 'tracelink';
import { CaptureStream } from '../helpers/capture-stream.js';
import {
  EXAMPLE_SPAN_CONTEXT,
  otelFieldsOf,
  useTracing,
  withSpanContext,
} from '../helpers/tracing.js';

const tracing = useTracing();

function capturedLogger(options: pino.LoggerOptions = {}) {
  const stream = new CaptureStream();
  const logger = pino({ mixin: pinoMixin(), ...options }, stream);
  return { logger, lines: stream.lines };
}

describe('pinoMixin', () => {
  describe('with an active span', () => {
    it('stamps trace_id, span_id and trace_flags of the span', () => {
      const { logger, lines } = capturedLogger();
      tracing.tracer.startActiveSpan('op', (span) => {
        logger.info('inside');
        span.end();
        expect(lines[0]).toMatchObject({ msg: 'inside', ...otelFieldsOf(span) });
        expect(lines[0]?.trace_flags).toBe('01');
      });
    });

    it('stamps the innermost of nested spans', () => {
      const { logger, lines } = capturedLogger();
      tracing.tracer.startActiveSpan('outer', (outer) => {
        tracing.tracer.startActiveSpan('inner', (inner) => {
          logger.info('in inner');
          inner.end();
          expect(lines[0]).toMatchObject(otelFieldsOf(inner));
          expect(inner.spanContext().traceId).toBe(outer.spanContext().traceId);
        });
        logger.info('back in outer');
        outer.end();
        expect(lines[1]).toMatchObject(otelFieldsOf(outer));
      });
    });

    it('stamps "00" for a valid but unsampled span', () => {
      const { logger, lines } = capturedLogger();
      tracing.unsampledTracer.startActiveSpan('unsampled', (span) => {
        logger.info('x');
        span.end();
        expect(span.isRecording()).toBe(false);
        expect(lines[0]).toMatchObject({ ...otelFieldsOf(span), trace_flags: '00' });
      });
    });

    it('stamps a remote parent extracted from headers', () => {
      const { logger, lines } = capturedLogger();
      withSpanContext(EXAMPLE_SPAN_CONTEXT, () => logger.info('remote'));
      expect(lines[0]).toMatchObject({
        trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        span_id: '00f067aa0ba902b7',
        trace_flags: '01',
      });
    });

    it('keeps the fields of the merge object and the message', () => {
      const { logger, lines } = capturedLogger();
      tracing.tracer.startActiveSpan('op', (span) => {
        const mergeObject = { user: 'ada' };
        logger.info(mergeObject, 'hello %s', 'world');
        span.end();
        expect(lines[0]).toMatchObject({ user: 'ada', msg: 'hello world', ...otelFieldsOf(span) });
        expect(mergeObject).toEqual({ user: 'ada' });
      });
    });

    it('stamps the error line of logger.error(err)', () => {
      const { logger, lines } = capturedLogger();
      tracing.tracer.startActiveSpan('op', (span) => {
        logger.error(new Error('boom'));
        span.end();
        expect(lines[0]).toMatchObject({
          msg: 'boom',
          err: { message: 'boom' },
          ...otelFieldsOf(span),
        });
      });
    });
  });

  describe('without a valid span', () => {
    it('adds nothing when no span is active', () => {
      const { logger, lines } = capturedLogger();
      logger.info({ a: 1 }, 'plain');
      expect(Object.keys(lines[0] ?? {}).sort()).toEqual([
        'a',
        'hostname',
        'level',
        'msg',
        'pid',
        'time',
      ]);
    });

    it('hands back the merge object itself, allocating nothing', () => {
      const mixin = pinoMixin();
      const mergeObject = {};
      expect(mixin(mergeObject, 30, pino())).toBe(mergeObject);
    });

    it.each([
      ['all-zero trace id', { ...EXAMPLE_SPAN_CONTEXT, traceId: '0'.repeat(32) }],
      ['all-zero span id', { ...EXAMPLE_SPAN_CONTEXT, spanId: '0'.repeat(16) }],
      ['short trace id', { ...EXAMPLE_SPAN_CONTEXT, traceId: 'abc' }],
      ['non-hex span id', { ...EXAMPLE_SPAN_CONTEXT, spanId: 'zzzzzzzzzzzzzzzz' }],
      ['numeric trace id', { ...EXAMPLE_SPAN_CONTEXT, traceId: 42 as unknown as string }],
    ])('adds nothing for an invalid span context (%s)', (_name, spanContext) => {
      const { logger, lines } = capturedLogger();
      withSpanContext(spanContext, () => logger.info('x'));
      expect(lines[0]).not.toHaveProperty('trace_id');
      expect(lines[0]).not.toHaveProperty('span_id');
    });

    it('writes upper-case ids (valid for the API) in lower case', () => {
      const { logger, lines } = capturedLogger();
      const upper = {
        ...EXAMPLE_SPAN_CONTEXT,
        traceId: EXAMPLE_SPAN_CONTEXT.traceId.toUpperCase(),
      };
      withSpanContext(upper, () => logger.info('x'));
      expect(lines[0]?.trace_id).toBe(EXAMPLE_SPAN_CONTEXT.traceId);
    });

    it('never throws when a hand-written span throws from spanContext()', () => {
      const { logger, lines } = capturedLogger();
      const broken = trace.wrapSpanContext(EXAMPLE_SPAN_CONTEXT);
      broken.spanContext = () => {
        throw new Error('broken span');
      };
      context.with(trace.setSpan(context.active(), broken), () => logger.info('still logged'));
      expect(lines[0]).toMatchObject({ msg: 'still logged' });
      expect(lines[0]).not.toHaveProperty('trace_id');
    });
  });

  describe('across async boundaries', () => {
    it('follows awaits, timers, event emitters and streams', async () => {
      const { logger, lines } = capturedLogger();
      const expected = await tracing.tracer.startActiveSpan('async', async (span) => {
        await sleep(1);
        logger.info('after await');
        await new Promise<void>((resolve) =>
          setTimeout(() => {
            logger.info('in timer');
            resolve();
          }, 1),
        );
        const emitter = new EventEmitter();
        emitter.on('event', () => logger.info('in listener'));
        setImmediate(() => emitter.emit('event'));
        await once(emitter, 'event');
        for await (const chunk of Readable.from(['a', 'b'])) logger.info({ chunk }, 'in stream');
        span.end();
        return otelFieldsOf(span);
      });
      expect(lines.map((l) => l.msg)).toEqual([
        'after await',
        'in timer',
        'in listener',
        'in stream',
        'in stream',
      ]);
      for (const line of lines) expect(line).toMatchObject(expected);
    });

    it('keeps each of 200 interleaved concurrent requests on its own ids', async () => {
      const { logger, lines } = capturedLogger();
      const expected = new Map<string, string>();
      await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          tracing.tracer.startActiveSpan(`req-${i}`, async (span) => {
            expected.set(`req-${i}`, span.spanContext().spanId);
            for (let step = 0; step < 3; step++) {
              await sleep(Math.floor(Math.random() * 3));
              logger.info({ req: `req-${i}`, step });
            }
            span.end();
          }),
        ),
      );
      expect(lines).toHaveLength(600);
      for (const line of lines) expect(line.span_id).toBe(expected.get(line.req as string));
    });
  });

  describe('with pino features', () => {
    it('works on child loggers, keeping their bindings', () => {
      const { logger, lines } = capturedLogger();
      const child = logger.child({ module: 'db' });
      tracing.tracer.startActiveSpan('op', (span) => {
        child.info('from child');
        child.child({ query: 'q1' }).warn('from grandchild');
        span.end();
        expect(lines[0]).toMatchObject({ module: 'db', ...otelFieldsOf(span) });
        expect(lines[1]).toMatchObject({
          module: 'db',
          query: 'q1',
          level: 40,
          ...otelFieldsOf(span),
        });
      });
    });

    it('works with pino.multistream', () => {
      const a = new CaptureStream();
      const b = new CaptureStream();
      const logger = pino(
        { mixin: pinoMixin(), level: 'debug' },
        pino.multistream([
          { stream: a, level: 'debug' },
          { stream: b, level: 'warn' },
        ]),
      );
      tracing.tracer.startActiveSpan('op', (span) => {
        logger.debug('debug');
        logger.error('error');
        span.end();
        expect(a.lines).toHaveLength(2);
        expect(b.lines).toHaveLength(1);
        for (const line of [...a.lines, ...b.lines]) expect(line).toMatchObject(otelFieldsOf(span));
      });
    });

    it('works with custom levels', () => {
      const stream = new CaptureStream();
      const logger = pino({ customLevels: { audit: 35 }, mixin: pinoMixin<'audit'>() }, stream);
      tracing.tracer.startActiveSpan('op', (span) => {
        logger.audit('audited');
        span.end();
        expect(stream.lines[0]).toMatchObject({ level: 35, msg: 'audited', ...otelFieldsOf(span) });
      });
    });

    it('works with a mixinMergeStrategy that lets the merge object win', () => {
      const { logger, lines } = capturedLogger({
        mixinMergeStrategy: (mergeObject, mixinObject) => ({ ...mixinObject, ...mergeObject }),
      });
      tracing.tracer.startActiveSpan('op', (span) => {
        logger.info({ trace_id: 'mine' }, 'override');
        logger.info('plain');
        span.end();
        expect(lines[0]).toMatchObject({ trace_id: 'mine', span_id: span.spanContext().spanId });
        expect(lines[1]).toMatchObject(otelFieldsOf(span));
      });
    });

    it('works with a mixinMergeStrategy that writes into the merge object', () => {
      const { logger, lines } = capturedLogger({
        mixinMergeStrategy: (mergeObject, mixinObject) => Object.assign(mergeObject, mixinObject),
      });
      logger.info('no span');
      tracing.tracer.startActiveSpan('op', (span) => {
        logger.info('span');
        span.end();
        expect(lines[1]).toMatchObject(otelFieldsOf(span));
      });
      expect(lines[0]).not.toHaveProperty('trace_id');
    });

    it('does not leak one line’s merge fields into the next (pino mutates the mixin result)', () => {
      const { logger, lines } = capturedLogger();
      tracing.tracer.startActiveSpan('op', (span) => {
        logger.info({ first: true }, 'one');
        logger.info('two');
        span.end();
      });
      expect(lines[1]).not.toHaveProperty('first');
    });
  });

  describe('composed with the user’s own mixin', () => {
    it('writes both the user’s fields and the trace fields', () => {
      const stream = new CaptureStream();
      const logger = pino(
        { mixin: pinoMixin({ mixin: (_obj, level) => ({ tenant: 'acme', levelSeen: level }) }) },
        stream,
      );
      logger.info('no span');
      tracing.tracer.startActiveSpan('op', (span) => {
        logger.info('span');
        span.end();
        expect(stream.lines[1]).toMatchObject({
          tenant: 'acme',
          levelSeen: 30,
          ...otelFieldsOf(span),
        });
      });
      expect(stream.lines[0]).toMatchObject({ tenant: 'acme' });
      expect(stream.lines[0]).not.toHaveProperty('trace_id');
    });

    it('lets the trace fields win over a user field of the same name', () => {
      const stream = new CaptureStream();
      const logger = pino({ mixin: pinoMixin({ mixin: () => ({ trace_id: 'stale' }) }) }, stream);
      tracing.tracer.startActiveSpan('op', (span) => {
        logger.info('x');
        span.end();
        expect(stream.lines[0]?.trace_id).toBe(span.spanContext().traceId);
      });
    });

    it('still logs, with the trace fields, when the user mixin throws', () => {
      const stream = new CaptureStream();
      const logger = pino(
        {
          mixin: pinoMixin({
            mixin: () => {
              throw new Error('user bug');
            },
          }),
        },
        stream,
      );
      tracing.tracer.startActiveSpan('op', (span) => {
        expect(() => logger.info('x')).not.toThrow();
        span.end();
        expect(stream.lines[0]).toMatchObject({ msg: 'x', ...otelFieldsOf(span) });
      });
    });
  });

  describe('with options', () => {
    it('writes another profile’s keys', () => {
      const stream = new CaptureStream();
      const logger = pino({ mixin: pinoMixin({ fields: 'datadog' }) }, stream);
      withSpanContext(EXAMPLE_SPAN_CONTEXT, () => logger.info('x'));
      expect(stream.lines[0]).toMatchObject({
        'dd.trace_id': '11803532876627986230',
        'dd.span_id': '67667974448284343',
      });
    });

    it('writes allow-listed baggage entries, with or without a span', () => {
      const stream = new CaptureStream();
      const logger = pino({ mixin: pinoMixin({ baggage: ['tenant.id'] }) }, stream);
      const baggage = propagation.createBaggage({
        'tenant.id': { value: 'acme' },
        secret: { value: 'do-not-log' },
      });
      context.with(propagation.setBaggage(context.active(), baggage), () => {
        logger.info('no span');
        tracing.tracer.startActiveSpan('op', (span) => {
          logger.info('span');
          span.end();
          expect(stream.lines[1]).toMatchObject({ 'tenant.id': 'acme', ...otelFieldsOf(span) });
        });
      });
      expect(stream.lines[0]).toMatchObject({ 'tenant.id': 'acme' });
      for (const line of stream.lines) expect(line).not.toHaveProperty('secret');
    });

    it('throws InvalidOptionError at creation for an unknown profile', () => {
      expect(() => pinoMixin({ fields: 'splunk' as never })).toThrow(InvalidOptionError);
    });
  });
});
