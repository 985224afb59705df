import pino from 'pino';
import winston from 'winston';
import { context, diag, DiagLogLevel, propagation, trace, ROOT_CONTEXT } from '@opentelemetry/api';
import { InvalidOptionError } from 'tracelink';
import { TraceFieldWriter } from '../../src/fields/trace-field-writer.js';
import { readRequestId } from '../../src/core/context-values.js';
import type { TraceFieldOptions } from 'tracelink';
import { EXAMPLE_SPAN_CONTEXT, useTracing } from '../helpers/tracing.js';
import { pinoMixin, pinoSpanLogger } from 'tracelink/pino';
import { traceFormat, traceJson } from 'tracelink/winston';
import { withRequestId } from '../../src/core/context-values.js';
import { CaptureStream } from '../helpers/capture-stream.js';
import { captureWinston } from '../helpers/winston-capture.js';

useTracing();

const spanCtx = trace.setSpanContext(context.active(), EXAMPLE_SPAN_CONTEXT);
const EXAMPLE_FIELDS = {
  trace_id: EXAMPLE_SPAN_CONTEXT.traceId,
  span_id: EXAMPLE_SPAN_CONTEXT.spanId,
  trace_flags: '01',
};

describe('TraceFieldWriter', () => {
  describe('fieldsFor', () => {
    it('returns a fresh object each time, so a caller’s mutation never leaks', () => {
      const writer = new TraceFieldWriter();
      const first = writer.fieldsFor(spanCtx);
      (first as Record<string, unknown>).extra = 1;
      expect(writer.fieldsFor(spanCtx)).toEqual(EXAMPLE_FIELDS);
      expect(writer.fieldsFor(spanCtx)).not.toBe(writer.fieldsFor(spanCtx));
    });

    it('keeps interleaved spans apart through its cache', () => {
      const writer = new TraceFieldWriter();
      const other = trace.setSpanContext(context.active(), {
        ...EXAMPLE_SPAN_CONTEXT,
        spanId: '1111111111111111',
      });
      for (let i = 0; i < 3; i++) {
        expect(writer.fieldsFor(spanCtx)?.span_id).toBe(EXAMPLE_SPAN_CONTEXT.spanId);
        expect(writer.fieldsFor(other)?.span_id).toBe('1111111111111111');
      }
    });

    it('returns undefined with neither span nor baggage', () => {
      expect(new TraceFieldWriter({ baggage: ['k'] }).fieldsFor(context.active())).toBeUndefined();
    });
  });

  describe('jsonMembersFor', () => {
    it('serialises the fields without braces', () => {
      expect(JSON.parse(`{${new TraceFieldWriter().jsonMembersFor(spanCtx)}}`)).toEqual(
        EXAMPLE_FIELDS,
      );
    });

    it('escapes baggage values that need it', () => {
      const baggage = propagation.createBaggage({ note: { value: 'say "hi"\n\u2028' } });
      const ctx = propagation.setBaggage(spanCtx, baggage);
      const members = new TraceFieldWriter({ baggage: ['note'] }).jsonMembersFor(ctx);
      expect(JSON.parse(`{${members}}`)).toEqual({ ...EXAMPLE_FIELDS, note: 'say "hi"\n\u2028' });
    });

    it('returns an empty string with nothing to write', () => {
      expect(new TraceFieldWriter().jsonMembersFor(context.active())).toBe('');
    });
  });

  describe('with a hostile context', () => {
    it('reports through diag and writes nothing, without throwing', () => {
      const messages: string[] = [];
      diag.setLogger(
        {
          error: () => undefined,
          warn: (message: string) => messages.push(message),
          info: () => undefined,
          debug: () => undefined,
          verbose: () => undefined,
        },
        DiagLogLevel.WARN,
      );
      const hostile = {
        getValue: () => {
          throw new Error('hostile');
        },
      } as never;
      const writer = new TraceFieldWriter({ baggage: ['k'] });
      const target = {};
      expect(writer.fieldsFor(hostile)).toBeUndefined();
      expect(writer.jsonMembersFor(hostile)).toBe('');
      writer.writeTo(target, hostile);
      expect(target).toEqual({});
      diag.disable();
      expect(messages.some((m) => m.startsWith('tracelink:'))).toBe(true);
    });
  });
});

useTracing();

const rootSpanCtx = trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT);
const withId = withRequestId(rootSpanCtx, 'req-1');

describe('the requestId field option', () => {
  describe('TraceFieldWriter', () => {
    it.each([
      [{}, 'request_id'],
      [{ fields: 'otel' }, 'request_id'],
      [{ fields: 'camel' }, 'requestId'],
      [{ fields: 'ecs' }, 'http.request.id'],
      [{ fields: 'datadog' }, 'request_id'],
      [{ fields: 'gcp', gcpProjectId: 'p' }, 'request_id'],
      [{ fields: { traceId: 't' } }, 'request_id'],
    ] as [TraceFieldOptions, string][])('with %j and true writes %s', (options, key) => {
      const writer = new TraceFieldWriter({ ...options, requestId: true });
      expect(writer.fieldsFor(withId)?.[key]).toBe('req-1');
    });

    it('uses a string as the field name', () => {
      const writer = new TraceFieldWriter({ requestId: 'rid' });
      expect(writer.fieldsFor(withId)).toMatchObject({
        rid: 'req-1',
        trace_id: EXAMPLE_SPAN_CONTEXT.traceId,
      });
    });

    it('writes nothing, and allocates nothing, when off or absent', () => {
      expect(new TraceFieldWriter().fieldsFor(withId)).not.toHaveProperty('request_id');
      expect(new TraceFieldWriter({ requestId: false }).fieldsFor(withId)).not.toHaveProperty(
        'request_id',
      );
      expect(new TraceFieldWriter({ requestId: true }).fieldsFor(ROOT_CONTEXT)).toBeUndefined();
    });

    it('writes the request id without a span, like baggage', () => {
      const ctx = withRequestId(ROOT_CONTEXT, 'alone');
      const writer = new TraceFieldWriter({ requestId: true });
      expect(writer.fieldsFor(ctx)).toEqual({ request_id: 'alone' });
      expect(writer.jsonMembersFor(ctx)).toBe('"request_id":"alone"');
      const target: Record<string, unknown> = {};
      writer.writeTo(target, ctx);
      expect(target).toEqual({ request_id: 'alone' });
    });

    it('serialises it after the span fields', () => {
      const members = new TraceFieldWriter({ requestId: true }).jsonMembersFor(withId);
      expect(members.endsWith(',"request_id":"req-1"')).toBe(true);
    });

    it('counts it as one of its own fields', () => {
      expect(new TraceFieldWriter({ requestId: true }).hasOwnFieldIn({ request_id: 1 })).toBe(true);
    });

    it.each([
      ['an empty name', ''],
      ['a number', 1],
      ['a profile key', 'trace_id'],
    ])('rejects %s', (_, requestId) => {
      expect(() => new TraceFieldWriter({ requestId: requestId as never })).toThrow(
        InvalidOptionError,
      );
    });
  });

  describe('readRequestId', () => {
    it('reads the active context by default', () => {
      expect(context.with(withId, () => readRequestId())).toBe('req-1');
      expect(readRequestId()).toBeUndefined();
    });
  });

  describe('in the logger integrations', () => {
    it('pinoMixin writes it', () => {
      const stream = new CaptureStream();
      const logger = pino({ mixin: pinoMixin({ requestId: true }) }, stream);
      context.with(withId, () => logger.info('x'));
      expect(stream.lines[0]).toMatchObject({ request_id: 'req-1' });
    });

    it('pinoSpanLogger writes it into the span’s child logger', () => {
      const stream = new CaptureStream();
      const log = pinoSpanLogger(pino(stream), { requestId: true });
      context.with(withId, () => log().info('x'));
      expect(stream.lines[0]).toMatchObject({
        request_id: 'req-1',
        span_id: EXAMPLE_SPAN_CONTEXT.spanId,
      });
    });

    it.each([
      [
        'traceFormat',
        winston.format.combine(traceFormat({ requestId: true }), winston.format.json()),
      ],
      ['traceJson', traceJson({ requestId: true })],
    ])('%s writes it', async (_, format) => {
      const { logger, lines, finish } = captureWinston(format);
      context.with(withId, () => logger.info('x'));
      await finish();
      expect(lines[0]).toMatchObject({
        request_id: 'req-1',
        trace_id: EXAMPLE_SPAN_CONTEXT.traceId,
      });
    });
  });
});
