import { InvalidOptionError } from 'tracelink';
import { WinstonOtlpTransport } from '../../../transports/winston/index.js';
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

describe('WinstonOtlpTransport', () => {
  // Each throws before the worker starts: the transport is never made. (A valid transport
  // starts the built worker, and is tested against the collector: test/integration.)
  describe('with an invalid option', () => {
    it.each<InvalidOptionCase>([
      ...INVALID_TRANSPORT_OPTIONS,
      ['flattenAttributes as a number', { flattenAttributes: 1 }, 'flattenAttributes', ''],
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
