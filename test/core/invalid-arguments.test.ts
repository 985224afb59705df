import winston from 'winston';
import { InvalidOptionError } from 'tracelink';
import pino from 'pino';
import { createTraceFields } from 'tracelink';
import { pinoMixin, pinoSpanLogger } from 'tracelink/pino';
import { withConsumerSpan, withProducerSpan } from 'tracelink/propagation';
import { captureTraceContext, traceFormat, traceJson } from 'tracelink/winston';

// Wrong arguments are programming errors: a named InvalidOptionError, never a raw TypeError
// from deep inside, and never silently accepted.
describe('arguments that are not what the function takes', () => {
  it.each<[string, () => unknown, string]>([
    ['pinoMixin(null)', () => pinoMixin(null as never), 'options'],
    ['pinoMixin([])', () => pinoMixin([] as never), 'options'],
    ["pinoMixin({ mixin: 'x' })", () => pinoMixin({ mixin: 'x' as never }), 'mixin'],
    ['traceFormat(null)', () => traceFormat(null as never), 'options'],
    ['traceJson(null)', () => traceJson(null as never), 'options'],
    ['captureTraceContext(null)', () => captureTraceContext(null as never), 'logger'],
    ['captureTraceContext({})', () => captureTraceContext({} as never), 'logger'],
    ['withProducerSpan(null, …)', () => withProducerSpan(null as never, {}, () => 1), 'options'],
    ['withConsumerSpan(null, …)', () => withConsumerSpan(null as never, {}, () => 1), 'options'],
    [
      'withProducerSpan(options, headers, not a function)',
      () => withProducerSpan({ system: 'kafka', destination: 'orders' }, {}, 'x' as never),
      'fn',
    ],
  ])('%s throws InvalidOptionError', (_, call, option) => {
    expect(call).toThrow(InvalidOptionError);
    try {
      call();
    } catch (error) {
      expect((error as InvalidOptionError).option).toBe(option);
    }
  });

  it('still accepts a winston logger', () => {
    const logger = winston.createLogger({ transports: [] });
    expect(captureTraceContext(logger)).toBe(logger);
  });
});

// A misspelt option would otherwise be silently its default: the ids under the wrong names.
describe('option names the function does not take', () => {
  it.each<[string, () => unknown, string, string]>([
    [
      "pinoMixin({ feilds: 'ecs' })",
      () => pinoMixin({ feilds: 'ecs' } as never),
      'feilds',
      'fields',
    ],
    [
      'pinoMixin({ markSpanOnErorr: true })',
      () => pinoMixin({ markSpanOnErorr: true } as never),
      'markSpanOnErorr',
      'markSpanOnError',
    ],
    [
      "traceFormat({ bagage: ['tenant'] })",
      () => traceFormat({ bagage: ['tenant'] } as never),
      'bagage',
      'baggage',
    ],
    [
      'traceJson({ RequestId: true })',
      () => traceJson({ RequestId: true } as never),
      'RequestId',
      'requestId',
    ],
    [
      "createTraceFields({ field: 'ecs' })",
      () => createTraceFields({ field: 'ecs' } as never),
      'field',
      'fields',
    ],
    [
      "pinoSpanLogger(logger, { gcpProject: 'p' })",
      () => pinoSpanLogger(pino({ enabled: false }), { gcpProject: 'p' } as never),
      'gcpProject',
      'gcpProjectId',
    ],
  ])(
    '%s throws InvalidOptionError naming it, with the name it likely means',
    (_, call, option, meant) => {
      expect(call).toThrow(InvalidOptionError);
      try {
        call();
      } catch (error) {
        expect((error as InvalidOptionError).option).toBe(option);
        expect((error as Error).message).toContain(`did you mean \`${meant}\`?`);
      }
    },
  );

  it('takes every option it documents', () => {
    expect(() =>
      pinoMixin({
        fields: 'ecs',
        baggage: ['tenant'],
        requestId: true,
        mixin: () => ({}),
        markSpanOnError: true,
      }),
    ).not.toThrow();
    expect(() =>
      traceJson({ fields: 'gcp', gcpProjectId: 'p', markSpanOnError: true }),
    ).not.toThrow();
    expect(() => traceFormat({ fields: 'datadog', datadogTraceId: 'decimal' })).not.toThrow();
  });
});
