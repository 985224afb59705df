import { InvalidOptionError } from 'tracelink';
import { WinstonOtlpTransport } from '../../../transports/winston/index.js';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('WinstonOtlpTransport', () => {
  // Each throws before the worker starts: the transport is never made. (A valid transport
  // starts the built worker, and is tested against the collector: test/integration.)
  describe('with an invalid option', () => {
    it.each<[string, Record<string, unknown>, string, string]>([
      [
        'a severity out of range',
        { severityOverrides: { info: 999 } },
        'severityOverrides.info',
        'expected an integer from 0 to 24, received 999',
      ],
      [
        'severityOverrides as a name',
        { severityOverrides: 'INFO' },
        'severityOverrides',
        'received "INFO"',
      ],
      [
        'a fractional severity',
        { severityOverrides: { info: 9.5 } },
        'severityOverrides.info',
        'received 9.5',
      ],
      ['flattenAttributes not a boolean', { flattenAttributes: 1 }, 'flattenAttributes', ''],
      ['headers as a string', { headers: 'str' }, 'headers', 'received "str"'],
      ['a resource as a string', { resource: 'x' }, 'resource', 'received "x"'],
      ['a misspelt option', { serviceNmae: 'api' }, 'serviceNmae', 'did you mean `serviceName`?'],
      [
        'an endpoint without a scheme',
        { endpoint: '127.0.0.1:4318/v1/logs' },
        'endpoint',
        'did you mean `http://127.0.0.1:4318/v1/logs`?',
      ],
      [
        'an endpoint whose host reads as a scheme',
        { endpoint: 'localhost:4318/v1/logs' },
        'endpoint',
        'expected an http:// or https:// URL',
      ],
    ])(
      'throws InvalidOptionError from the constructor for %s',
      (_case, options, option, message) => {
        const error = thrownBy(() => new WinstonOtlpTransport(options));
        expect(error).toBeInstanceOf(InvalidOptionError);
        expect(error).toMatchObject({ option });
        expect((error as Error).message).toContain(message);
      },
    );
  });
});
