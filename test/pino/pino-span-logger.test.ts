import pino from 'pino';
import { pinoSpanLogger } from 'tracelink/pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { CaptureStream } from '../helpers/capture-stream.js';
import {
  EXAMPLE_SPAN_CONTEXT,
  otelFieldsOf,
  useTracing,
  withSpanContext,
} from '../helpers/tracing.js';

const tracing = useTracing();

function setUp(level: pino.LevelWithSilent = 'info') {
  const stream = new CaptureStream();
  const base = pino({ level }, stream);
  return { base, log: pinoSpanLogger(base), lines: stream.lines };
}

describe('pinoSpanLogger', () => {
  describe('with an active span', () => {
    it('returns one child per span whose bindings hold the ids', () => {
      const { log, base, lines } = setUp();
      tracing.tracer.startActiveSpan('op', (span) => {
        log().info('one');
        log().info({ extra: 1 }, 'two');
        expect(log()).toBe(log());
        expect(log()).not.toBe(base);
        span.end();
        expect(lines).toHaveLength(2);
        for (const line of lines) expect(line).toMatchObject(otelFieldsOf(span));
      });
    });

    it('writes each id key once per line', () => {
      const stream = new CaptureStream();
      const log = pinoSpanLogger(pino(stream));
      withSpanContext(EXAMPLE_SPAN_CONTEXT, () => log().info('x'));
      expect(stream.raw[0]?.match(/"trace_id"/g)).toHaveLength(1);
    });

    it('keeps 200 interleaved requests on their own ids', async () => {
      const { log, lines } = setUp();
      const spanIdOf = new Map<number, string>();
      await Promise.all(
        Array.from({ length: 200 }, (_, req) =>
          tracing.tracer.startActiveSpan('req', async (span) => {
            spanIdOf.set(req, span.spanContext().spanId);
            for (let step = 0; step < 3; step++) {
              await sleep(req % 3);
              log().info({ req, step });
            }
            span.end();
          }),
        ),
      );
      expect(lines).toHaveLength(600);
      for (const line of lines) expect(line.span_id).toBe(spanIdOf.get(line.req as number));
    });

    it('follows the base logger’s level changes after the child was made', () => {
      const { log, base, lines } = setUp('info');
      withSpanContext(EXAMPLE_SPAN_CONTEXT, () => {
        log().debug('hidden');
        base.level = 'debug';
        log().debug('shown');
      });
      expect(lines.map((l) => l.msg)).toEqual(['shown']);
    });

    it('writes another profile', () => {
      const stream = new CaptureStream();
      const log = pinoSpanLogger(pino(stream), { fields: 'datadog' });
      withSpanContext(EXAMPLE_SPAN_CONTEXT, () => log().info('x'));
      expect(stream.lines[0]).toMatchObject({ 'dd.trace_id': '11803532876627986230' });
    });
  });

  describe('without a valid span', () => {
    it('returns the base logger', () => {
      const { log, base } = setUp();
      expect(log()).toBe(base);
      withSpanContext({ ...EXAMPLE_SPAN_CONTEXT, traceId: '0'.repeat(32) }, () =>
        expect(log()).toBe(base),
      );
    });
  });
});
