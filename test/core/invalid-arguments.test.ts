import winston from 'winston';
import { InvalidOptionError } from 'tracelink';
import { pinoMixin } from 'tracelink/pino';
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
