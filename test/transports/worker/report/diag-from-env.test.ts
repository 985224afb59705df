import type * as FsModule from 'node:fs';
import { diag } from '@opentelemetry/api';
import { configureDiagFromEnv } from '../../../../transports/worker/report/diag-from-env.js';

describe('configureDiagFromEnv', () => {
  afterEach(() => diag.disable());

  it('writes diag messages at OTEL_LOG_LEVEL and above to stderr, synchronously', () => {
    const writes: string[] = [];
    // The module object itself: the code under test reads writeSync from it at call time.
    const fs = jest.requireActual<typeof FsModule>('node:fs');
    const spy = jest.spyOn(fs, 'writeSync').mockImplementation((_fd, text) => {
      writes.push(String(text));
      return 0;
    });
    try {
      configureDiagFromEnv({ OTEL_LOG_LEVEL: 'warn' });
      diag.info('not shown');
      diag.warn('shown');
    } finally {
      spy.mockRestore();
    }
    expect(writes).toEqual(['[otel warn] shown\n']);
  });

  it('leaves diag alone when OTEL_LOG_LEVEL is unset or unknown', () => {
    const set = jest.spyOn(diag, 'setLogger');
    configureDiagFromEnv({});
    configureDiagFromEnv({ OTEL_LOG_LEVEL: 'loud' });
    expect(set).not.toHaveBeenCalled();
    set.mockRestore();
  });
});
