import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import pino from 'pino';
import winston from 'winston';
import { InvalidOptionError, TraceFieldWriter, readRequestId } from 'tracelink';
import type { TraceFieldOptions } from 'tracelink';
import { pinoMixin, pinoSpanLogger } from 'tracelink/pino';
import { traceFormat, traceJson } from 'tracelink/winston';
import { withRequestId } from '../../src/core/context-values.js';
import { CaptureStream } from '../helpers/capture-stream.js';
import { EXAMPLE_SPAN_CONTEXT, useTracing } from '../helpers/tracing.js';
import { captureWinston } from '../helpers/winston-capture.js';

useTracing();

const spanCtx = trace.setSpanContext(ROOT_CONTEXT, EXAMPLE_SPAN_CONTEXT);
const withId = withRequestId(spanCtx, 'req-1');

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
