import { redactCredentials, writeStderrLine } from '../../transports/stderr.js';
import fs from 'node:fs';

describe('redactCredentials', () => {
  describe('an endpoint alone', () => {
    it.each([
      [
        'user and password',
        'http://user:PASS@collector:4318/v1/logs',
        'http://REDACTED@collector:4318/v1/logs',
      ],
      [
        'a token as the user',
        'https://glc_abc123@otlp.example.com/otlp',
        'https://REDACTED@otlp.example.com/otlp',
      ],
      ['an @ in the password', 'http://u:p@ss@h:4318/v1/logs', 'http://REDACTED@h:4318/v1/logs'],
      [
        'an api key in the query',
        'http://h:4318/v1/logs?api_key=s3cret',
        'http://h:4318/v1/logs?api_key=REDACTED',
      ],
      [
        'every query value',
        'http://h/v1/logs?tenant=acme&token=t0k&flag',
        'http://h/v1/logs?tenant=REDACTED&token=REDACTED&REDACTED',
      ],
      ['a fragment', 'http://h/v1/logs#key', 'http://h/v1/logs#REDACTED'],
      ['both', 'http://a:b@h/v1/logs?k=v', 'http://REDACTED@h/v1/logs?k=REDACTED'],
      ['no scheme', 'user:pass@h:4318/v1/logs?k=v', 'REDACTED@h:4318/v1/logs?k=REDACTED'],
    ])('hides %s', (_case, url, redacted) => {
      expect(redactCredentials(url)).toBe(redacted);
    });

    it.each([
      'http://localhost:4318/v1/logs',
      'https://collector.example.com/otlp/v1/logs',
      'http://127.0.0.1:4317',
      'the console exporter',
    ])('leaves %s as it is', (url) => {
      expect(redactCredentials(url)).toBe(url);
    });
  });

  describe('in a message', () => {
    it('hides the credentials of every URL and keeps the sentence', () => {
      expect(
        redactCredentials(
          'tracelink: 3 of 3 log records were not delivered to http://u:PASS@h/v1/logs?api_key=abc ' +
            '(3 rejected); did you mean https://k@h/v1/logs?api_key=abc?',
        ),
      ).toBe(
        'tracelink: 3 of 3 log records were not delivered to http://REDACTED@h/v1/logs?api_key=REDACTED ' +
          '(3 rejected); did you mean https://REDACTED@h/v1/logs?api_key=REDACTED?',
      );
    });

    it('is idempotent', () => {
      const once = redactCredentials('to http://u:p@h/v1/logs?a=1&b=2#f.');
      expect(redactCredentials(once)).toBe(once);
    });
  });
});

describe('writeStderrLine', () => {
  it('writes the line redacted', () => {
    const writes: string[] = [];
    const spy = jest.spyOn(fs, 'writeSync').mockImplementation((_fd, text) => {
      writes.push(String(text));
      return 0;
    });
    try {
      writeStderrLine('[otel warn] could not parse http://u:PASS@h:4318?api_key=abc');
    } finally {
      spy.mockRestore();
    }
    expect(writes).toEqual([
      '[otel warn] could not parse http://REDACTED@h:4318?api_key=REDACTED\n',
    ]);
  });
});
