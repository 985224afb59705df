import { once } from 'node:events';
import { InvalidOptionError } from 'tracelink';
import { buildPinoOtlpTransport } from '../../../transports/pino/pino-otlp-transport.js';
import type { PinoOtlpTransportOptions } from '../../../transports/pino/pino-otlp-transport-options.js';

describe('buildPinoOtlpTransport', () => {
  it('throws InvalidOptionError for an option name it does not know', () => {
    const options = { endpiont: 'http://c:4318/v1/logs' } as PinoOtlpTransportOptions;
    expect(() => buildPinoOtlpTransport(options)).toThrow(InvalidOptionError);
    expect(() => buildPinoOtlpTransport(options)).toThrow('did you mean `endpoint`?');
  });

  it('takes its own options, and what pino and thread-stream add to a target’s options', async () => {
    // As a single target's options arrive in pino's worker (pino/lib/transport.js, thread-stream).
    const options = {
      exporter: 'none',
      severityOverrides: { info: 10 },
      flattenAttributes: true,
      fields: { traceId: 'tid', spanId: 'sid' },
      pinoWillSendConfig: true,
      levels: { audit: 35 },
      $context: { threadStreamVersion: '4.0.0' },
    } as PinoOtlpTransportOptions;
    const stream = buildPinoOtlpTransport(options);
    // Off pino's worker, pino-abstract-transport reports that no pino configuration will come.
    const [error] = (await once(stream, 'error')) as [Error];
    expect(error.message).toMatch(/not compatible with the current version of pino/);
    stream.destroy();
  });
});
