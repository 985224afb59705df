import { context, propagation, trace } from '@opentelemetry/api';
import pino from 'pino';
import winston from 'winston';
import { InvalidOptionError } from 'tracelink';
import { pinoMixin } from 'tracelink/pino';
import { captureTraceContext, traceFormat, traceJson } from 'tracelink/winston';
import { CaptureStream } from '../helpers/capture-stream';
import { captureWinston } from '../helpers/winston-capture';
import { EXAMPLE_SPAN_CONTEXT, useTracing } from '../helpers/tracing';

useTracing();

// What a caller sent: baggage naming a field the line already has.
function inCallersContext<T>(entries: Record<string, string>, fn: () => T): T {
  const baggage = propagation.createBaggage(
    Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, { value }])),
  );
  const ctx = propagation.setBaggage(
    trace.setSpanContext(context.active(), EXAMPLE_SPAN_CONTEXT),
    baggage,
  );
  return context.with(ctx, fn);
}

describe('the baggage field option', () => {
  describe('naming a field every line has', () => {
    it.each([
      ['pinoMixin', 'trace_id', () => pinoMixin({ baggage: ['trace_id'] })],
      ['pinoMixin', 'level', () => pinoMixin({ baggage: ['level'] })],
      ['pinoMixin', 'time', () => pinoMixin({ baggage: ['time'] })],
      [
        'pinoMixin (camel profile)',
        'traceId',
        () => pinoMixin({ fields: 'camel', baggage: ['traceId'] }),
      ],
      [
        'pinoMixin (request id)',
        'request_id',
        () => pinoMixin({ requestId: true, baggage: ['request_id'] }),
      ],
      ['traceJson', 'span_id', () => traceJson({ baggage: ['span_id'] })],
      ['traceJson', 'level', () => traceJson({ baggage: ['level'] })],
      ['traceFormat', 'trace_flags', () => traceFormat({ baggage: ['trace_flags'] })],
      ['traceFormat', 'message', () => traceFormat({ baggage: ['message'] })],
    ])('is rejected by %s (%s)', (_, key, create) => {
      expect(create).toThrow(InvalidOptionError);
      expect(create).toThrow(`"${key}"`);
    });
  });

  describe('naming a field the line sets itself', () => {
    it('leaves pino’s own trace fields and the line’s fields alone', () => {
      const stream = new CaptureStream();
      const logger = pino({ mixin: pinoMixin({ baggage: ['tenant'] }) }, stream);
      inCallersContext({ tenant: 'evil', trace_id: 'evil' }, () =>
        logger.info({ tenant: 'mine' }, 'hi'),
      );
      expect(stream.lines[0]).toMatchObject({
        tenant: 'mine',
        trace_id: EXAMPLE_SPAN_CONTEXT.traceId,
        level: 30,
      });
      expect(stream.raw[0]?.match(/"tenant"/g)).toHaveLength(1);
    });

    it('leaves the fields of a composed pino mixin alone', () => {
      const stream = new CaptureStream();
      const mixin = pinoMixin({ baggage: ['tenant', 'region'], mixin: () => ({ tenant: 'mine' }) });
      const logger = pino({ mixin }, stream);
      inCallersContext({ tenant: 'evil', region: 'eu' }, () => logger.info('hi'));
      expect(stream.lines[0]).toMatchObject({
        tenant: 'mine',
        region: 'eu',
        trace_id: EXAMPLE_SPAN_CONTEXT.traceId,
      });
    });

    it.each([
      [
        'traceFormat',
        () => winston.format.combine(traceFormat({ baggage: ['tenant'] }), winston.format.json()),
      ],
      ['traceJson', () => traceJson({ baggage: ['tenant'] })],
    ])('leaves a winston record’s own field alone (%s)', async (_, format) => {
      const capture = captureWinston(format());
      const logger = captureTraceContext(capture.logger);
      inCallersContext({ tenant: 'evil' }, () => logger.info('hi', { tenant: 'mine' }));
      inCallersContext({ tenant: 'acme' }, () => logger.info('hi'));
      await capture.finish();
      expect(capture.lines[0]).toMatchObject({
        tenant: 'mine',
        level: 'info',
        message: 'hi',
        trace_id: EXAMPLE_SPAN_CONTEXT.traceId,
      });
      expect(capture.raw[0]?.match(/"tenant"/g)).toHaveLength(1);
      expect(capture.lines[1]).toMatchObject({ tenant: 'acme' });
    });
  });
});
