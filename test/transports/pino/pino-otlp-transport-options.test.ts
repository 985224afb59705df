import { InvalidOptionError } from 'tracelink';
import { validatePinoOtlpOptions } from '../../../transports/pino/index.js';
import type { PinoOtlpTransportOptions } from '../../../transports/pino/index.js';
import { INVALID_TRANSPORT_OPTIONS } from '../../helpers/invalid-transport-options.js';
import type { InvalidOptionCase } from '../../helpers/invalid-transport-options.js';

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
    it.each<InvalidOptionCase>([
      ...INVALID_TRANSPORT_OPTIONS,
      [
        'a misspelt option',
        { endpont: 'http://collector:4318/v1/logs' },
        'endpont',
        'did you mean `endpoint`?',
      ],
      ['options that are not an object', 'endpoint=x' as never, 'options', ''],
    ])('throws InvalidOptionError for %s', (_case, options, option, message) => {
      const error = thrownBy(() => validatePinoOtlpOptions(options));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error).toMatchObject({ option });
      expect((error as Error).message).toContain(message);
    });
  });
});
