import { context, propagation } from '@opentelemetry/api';
import winston from 'winston';
import { InvalidOptionError } from 'tracelink';
import { traceFormat } from 'tracelink/winston';
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
