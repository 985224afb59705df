import { once } from 'node:events';
import type * as FsModule from 'node:fs';
import { buildPinoOtlpTransport } from '../../../transports/pino/pino-otlp-transport.js';
import type { PinoOtlpTransportOptions } from '../../../transports/pino/pino-otlp-transport-options.js';

/** What `fn` writes to stderr through the transports' synchronous writes. */
function stderrOf(fn: () => void): string[] {
  const writes: string[] = [];
  // The module object itself: the code under test reads writeSync from it at call time.
  const fs = jest.requireActual<typeof FsModule>('node:fs');
  const spy = jest.spyOn(fs, 'writeSync').mockImplementation((fd, text) => {
    if (fd === 2) writes.push(String(text));
    return 0;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return writes;
}

describe('buildPinoOtlpTransport', () => {
  // In pino's worker a throw here ends the worker, and the app crashes on an 'error' it cannot
  // catch: the transport says why instead, and counts what it cannot send (line-intake.test.ts).
  it.each<[string, Record<string, unknown>, string]>([
    [
      'an option name it does not know',
      { endpiont: 'http://c:4318/v1/logs' },
      'invalid option `endpiont`: expected a known option name (did you mean `endpoint`?)',
    ],
    [
      'an invalid severityOverrides value, before any record',
      { severityOverrides: { info: 999 } },
      'invalid option `severityOverrides.info`: expected an integer from 0 to 24, received 999',
    ],
    [
      'an endpoint without a scheme',
      { endpoint: '127.0.0.1:4318/v1/logs' },
      'invalid option `endpoint`: expected an http:// or https:// URL',
    ],
  ])('does not throw for %s: it prints one line naming it', async (_case, options, line) => {
    const streams: ReturnType<typeof buildPinoOtlpTransport>[] = [];
    const writes = stderrOf(() => streams.push(buildPinoOtlpTransport(options)));
    expect(writes).toEqual([expect.stringContaining(line)]);
    expect(writes[0]).toMatch(/^tracelink: .*; the OTLP transport sends no record\b.*\n$/);
    const [stream] = streams as [ReturnType<typeof buildPinoOtlpTransport>];
    // Off pino's worker, pino-abstract-transport reports that no pino configuration will come.
    await once(stream, 'error');
    stream.destroy();
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
