import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import pino from 'pino';
import { errorSpanStats, InvalidOptionError } from 'tracelink';
import { pinoMixin } from 'tracelink/pino';
import { CaptureStream } from '../helpers/capture-stream.js';
import { EXAMPLE_SPAN_CONTEXT, useTracing } from '../helpers/tracing.js';

const tracing = useTracing();

function logger(markSpanOnError: boolean | number) {
  const stream = new CaptureStream();
  return { log: pino({ mixin: pinoMixin({ markSpanOnError }) }, stream), lines: stream.lines };
}

/** Runs `fn` in a fresh SDK span, ends it, and returns it as exported. */
function inSpan(fn: () => void): ReadableSpan {
  tracing.exporter.reset();
  tracing.tracer.startActiveSpan('op', (span) => {
    fn();
    span.end();
  });
  const [span] = tracing.exporter.getFinishedSpans();
  return span;
}

describe('pinoMixin({ markSpanOnError })', () => {
  describe('with the SDK', () => {
    it('records the logged error as an exception event and sets the status to ERROR', () => {
      const { log, lines } = logger(true);
      const error = new TypeError('card declined');
      const span = inSpan(() => log.error(error, 'charge failed'));
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'card declined' });
      expect(span.events).toHaveLength(1);
      expect(span.events[0]?.name).toBe('exception');
      expect(span.events[0]?.attributes).toMatchObject({
        'exception.type': 'TypeError',
        'exception.message': 'card declined',
        'exception.stacktrace': error.stack,
      });
      // The line is logged as without the option, and a log search finds the span.
      expect(lines[0]).toMatchObject({ msg: 'charge failed', span_id: span.spanContext().spanId });
    });

    it('finds the error in any field of the line', () => {
      const { log } = logger(true);
      const span = inSpan(() => log.error({ orderId: 1, cause: new Error('io') }, 'failed'));
      expect(span.events[0]?.attributes?.['exception.message']).toBe('io');
    });

    it('sets the status without an event for an error line that logged no error', () => {
      const { log } = logger(true);
      const span = inSpan(() => log.error('failed'));
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR });
      expect(span.events).toHaveLength(0);
    });

    it('marks fatal lines too, and leaves lines below error alone', () => {
      const { log } = logger(true);
      expect(inSpan(() => log.warn(new Error('w'))).status.code).toBe(SpanStatusCode.UNSET);
      expect(inSpan(() => log.fatal(new Error('f'))).status.code).toBe(SpanStatusCode.ERROR);
    });

    it('takes the lowest level that marks as a number', () => {
      const { log } = logger(40);
      expect(inSpan(() => log.warn(new Error('w'))).status.code).toBe(SpanStatusCode.ERROR);
    });

    it('marks nothing when off (the default)', () => {
      const stream = new CaptureStream();
      const log = pino({ mixin: pinoMixin() }, stream);
      const span = inSpan(() => log.error(new Error('x')));
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.events).toHaveLength(0);
    });

    it('counts a line whose span has ended as not recording', () => {
      const { log } = logger(true);
      const before = errorSpanStats();
      const span = tracing.tracer.startSpan('ended');
      span.end();
      context.with(trace.setSpan(context.active(), span), () => log.error(new Error('late')));
      expect(errorSpanStats().notRecording).toBe(before.notRecording + 1);
      expect(errorSpanStats().marked).toBe(before.marked);
    });
  });

  describe('in lightweight mode (no recording span)', () => {
    it('is a no-op: the line is logged, nothing throws, the line is counted', () => {
      const { log, lines } = logger(true);
      const before = errorSpanStats().notRecording;
      context.with(trace.setSpanContext(context.active(), EXAMPLE_SPAN_CONTEXT), () =>
        log.error(new Error('x'), 'failed'),
      );
      expect(lines[0]).toMatchObject({ msg: 'failed', trace_id: EXAMPLE_SPAN_CONTEXT.traceId });
      expect(errorSpanStats().notRecording).toBe(before + 1);
    });
  });

  it.each([['yes'], [0], [-1], [Number.NaN], [{}]])(
    'throws InvalidOptionError for markSpanOnError %p',
    (value) => {
      expect(() => pinoMixin({ markSpanOnError: value as never })).toThrow(InvalidOptionError);
    },
  );
});
