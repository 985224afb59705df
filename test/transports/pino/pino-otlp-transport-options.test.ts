import { InvalidOptionError } from 'tracelink';
import { validatePinoOtlpOptions } from '../../../transports/pino/index.js';
import type { PinoOtlpTransportOptions } from '../../../transports/pino/index.js';

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('validatePinoOtlpOptions', () => {
  describe('with valid options', () => {
    it('returns them as they were given, to pass on to pino.transport()', () => {
      const options: PinoOtlpTransportOptions = {
        endpoint: 'http://collector:4318/v1/logs',
        headers: { authorization: 'Bearer x' },
        resource: { 'deployment.environment': 'test' },
        severityOverrides: { audit: 12 },
        flattenAttributes: true,
        fields: 'ecs',
      };
      expect(validatePinoOtlpOptions(options)).toBe(options);
    });

    it('takes what pino and thread-stream add to a target’s options', () => {
      const options = {
        exporter: 'none',
        pinoWillSendConfig: true,
        levels: { audit: 35 },
        dedupe: true,
        $context: { threadStreamVersion: '4.0.0' },
      } as PinoOtlpTransportOptions;
      expect(validatePinoOtlpOptions(options)).toBe(options);
    });
  });

  // Each an option the worker would find invalid: there it can only print a line and drop.
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
      ['flattenAttributes not a boolean', { flattenAttributes: 'yes' }, 'flattenAttributes', ''],
      ['headers as a string', { headers: 'str' }, 'headers', 'received "str"'],
      ['a resource as a string', { resource: 'x' }, 'resource', 'received "x"'],
      [
        'a misspelt option',
        { endpont: 'http://collector:4318/v1/logs' },
        'endpont',
        'did you mean `endpoint`?',
      ],
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
      ['fields naming no profile', { fields: 'splunk' }, 'fields', ''],
      ['options that are not an object', 'endpoint=x' as never, 'options', ''],
    ])('throws InvalidOptionError for %s', (_case, options, option, message) => {
      const error = thrownBy(() => validatePinoOtlpOptions(options));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error).toMatchObject({ option });
      expect((error as Error).message).toContain(message);
    });
  });
});
