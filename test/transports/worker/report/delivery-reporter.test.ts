import { OTLPExporterError } from '@opentelemetry/otlp-exporter-base';
import { DeliveryReporter } from '../../../../transports/worker/report/delivery-reporter.js';
import type { DeliveryReporterOptions } from '../../../../transports/worker/report/delivery-reporter.js';
import { DeliveryStats } from '../../../../transports/worker/report/delivery-stats.js';
import {
  describeExportFailure,
  logsPathSuggestion,
} from '../../../../transports/worker/report/export-failure.js';

const DESTINATION = 'http://collector:4318/v1/logs';
const INTERVAL = 60_000;
const unauthorized = () => new OTLPExporterError('Unauthorized', 401, 'invalid api key');
const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' });

function setUp(options: Partial<DeliveryReporterOptions> = {}) {
  const stats = new DeliveryStats();
  const lines: { line: string; level: string }[] = [];
  const reporter = new DeliveryReporter({
    destination: DESTINATION,
    protocol: 'http/protobuf',
    stats,
    intervalMillis: INTERVAL,
    write: (line, level) => lines.push({ line, level }),
    ...options,
  });
  return { stats, lines, reporter, texts: () => lines.map((l) => l.line) };
}

describe('DeliveryReporter', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  describe('the first failed export', () => {
    it('is reported at once: what, why, where, and that its records are dropped', () => {
      const { reporter, texts, stats } = setUp();
      reporter.exportFailed(unauthorized(), 512, false);
      expect(texts()).toEqual([
        `tracelink: exporting logs to ${DESTINATION} failed: HTTP 401 Unauthorized ("invalid api key"); ` +
          'its 512 records dropped (counted as rejected: sending again cannot help). ' +
          'While exports fail, a summary follows every 60 s.',
      ]);
      expect(stats.failing).toBe(true);
    });

    it('says when its records are kept and sent again', () => {
      const { reporter, texts } = setUp();
      reporter.exportFailed(refused(), 3, true);
      expect(texts()).toEqual([
        `tracelink: exporting logs to ${DESTINATION} failed: connect ECONNREFUSED 127.0.0.1:4318; ` +
          'its 3 records kept and sent again. While exports fail, a summary follows every 60 s.',
      ]);
    });

    it('suggests /v1/logs for a 404 from an endpoint without it', () => {
      const { reporter, texts } = setUp({ destination: 'http://collector:4318' });
      reporter.exportFailed(new OTLPExporterError('Not Found', 404), 1, false);
      expect(texts()[0]).toContain(
        'failed: HTTP 404 Not Found — did you mean http://collector:4318/v1/logs?;',
      );
    });

    it('suggests nothing for a 404 from the logs path', () => {
      const { reporter, texts } = setUp();
      reporter.exportFailed(new OTLPExporterError('Not Found', 404), 1, false);
      expect(texts()[0]).not.toContain('did you mean');
    });

    it('is reported once: the failures that follow wait for the summary', () => {
      const { reporter, lines } = setUp();
      for (let i = 0; i < 10; i++) reporter.exportFailed(unauthorized(), 1, false);
      expect(lines).toHaveLength(1);
    });
  });

  describe('while exports keep failing', () => {
    it('prints a summary every interval, and the timer does not keep the process alive', () => {
      const { reporter, texts, stats } = setUp();
      const setIntervalSpy = jest.spyOn(global, 'setInterval');
      stats.received = 10;
      stats.drop('rejected', 4);
      stats.inFlight = 2;
      reporter.exportFailed(unauthorized(), 4, false);
      expect((setIntervalSpy.mock.results[0]?.value as NodeJS.Timeout).hasRef()).toBe(false);
      reporter.exportFailed(refused(), 2, true);
      jest.advanceTimersByTime(INTERVAL - 1);
      expect(texts()).toHaveLength(1);
      jest.advanceTimersByTime(1);
      expect(texts()[1]).toBe(
        `tracelink: exporting logs to ${DESTINATION} still fails, for 60 s: 1 failed request ` +
          'in the last 60 s, the last: connect ECONNREFUSED 127.0.0.1:4318; 4 records buffered, ' +
          '2 in flight, 0 delivered and 4 dropped so far (4 rejected)',
      );
      jest.advanceTimersByTime(INTERVAL);
      expect(texts()[2]).toContain('still fails, for 120 s: 0 failed requests in the last 60 s');
      reporter.stop();
      jest.advanceTimersByTime(10 * INTERVAL);
      expect(texts()).toHaveLength(3);
    });
  });

  describe('when an export succeeds again', () => {
    it('says that delivery works again, and stops the summaries', () => {
      const { reporter, texts, stats } = setUp();
      reporter.exportFailed(refused(), 5, true);
      jest.advanceTimersByTime(30_000);
      reporter.exportFailed(refused(), 5, true);
      stats.received = 5;
      stats.delivered = 5;
      reporter.exportSucceeded();
      expect(stats.failing).toBe(false);
      expect(texts()[1]).toBe(
        `tracelink: exporting logs to ${DESTINATION} works again, after 30 s (1 more failed ` +
          'request since the last line); 0 records buffered, 0 in flight, 5 delivered and 0 dropped so far',
      );
      jest.advanceTimersByTime(5 * INTERVAL);
      expect(texts()).toHaveLength(2);
      reporter.exportSucceeded();
      expect(texts()).toHaveLength(2);
    });

    it('prints nothing when nothing failed', () => {
      const { reporter, lines } = setUp();
      reporter.exportSucceeded();
      expect(lines).toEqual([]);
    });

    it('folds a failure soon after a recovery into the next summary', () => {
      const { reporter, texts } = setUp();
      reporter.exportFailed(refused(), 1, true);
      reporter.exportSucceeded();
      reporter.exportFailed(refused(), 1, true); // the collector flaps
      reporter.exportSucceeded();
      reporter.exportFailed(refused(), 1, true);
      reporter.exportSucceeded();
      expect(texts()).toHaveLength(2); // failed, works again
      jest.advanceTimersByTime(INTERVAL);
      expect(texts()[2]).toContain(
        'failed 2 times in the last 60 s, the last: connect ECONNREFUSED',
      );
      expect(texts()[2]).toContain('it works now');
      jest.advanceTimersByTime(INTERVAL);
      expect(texts()).toHaveLength(3);
      // A new outage, more than an interval after the last line: reported at once again.
      reporter.exportFailed(unauthorized(), 1, false);
      expect(texts()[3]).toContain('failed: HTTP 401 Unauthorized');
    });
  });

  describe('records a collector rejected (partial success)', () => {
    it('are reported at once, then at most once an interval', () => {
      const { reporter, texts, stats } = setUp();
      stats.drop('rejected', 3);
      reporter.recordsRejected(3, 'bad records');
      stats.drop('rejected', 2);
      reporter.recordsRejected(2, 'bad records');
      expect(texts()).toEqual([
        `tracelink: the collector at ${DESTINATION} rejected 3 records of a request (bad records); ` +
          'they are dropped and counted as rejected',
      ]);
      jest.advanceTimersByTime(INTERVAL);
      stats.drop('rejected', 1);
      reporter.recordsRejected(1, undefined);
      expect(texts()[1]).toBe(
        `tracelink: the collector at ${DESTINATION} has rejected 6 records in all, the last 1 of ` +
          'a request; they are dropped and counted as rejected',
      );
    });
  });
});

describe('describeExportFailure', () => {
  it.each([
    ['an HTTP status', new OTLPExporterError('Forbidden', 403), 'http/json', 'HTTP 403 Forbidden'],
    [
      'an HTTP status with a short text body',
      new OTLPExporterError('Bad Request', 400, 'bad data'),
      'http/protobuf',
      'HTTP 400 Bad Request ("bad data")',
    ],
    [
      'an HTTP status with a binary body',
      new OTLPExporterError('Bad Request', 400, '\u0008\u0003\u0012\u0001x'),
      'http/protobuf',
      'HTTP 400 Bad Request',
    ],
    [
      'a gRPC status',
      Object.assign(new Error('16 UNAUTHENTICATED: bad key'), { code: 16 }),
      'grpc',
      'gRPC 16 UNAUTHENTICATED: bad key',
    ],
    [
      'retryable answers until the timeout',
      new OTLPExporterError('Export failed with retryable status'),
      'http/protobuf',
      'the collector kept answering 429, 502, 503 or 504 until the request timed out',
    ],
    [
      'no answer in time',
      new Error('Request timed out'),
      'http/protobuf',
      'no answer within the request timeout',
    ],
    [
      'a network error',
      Object.assign(new Error('getaddrinfo ENOTFOUND collector'), { code: 'ENOTFOUND' }),
      'http/protobuf',
      'getaddrinfo ENOTFOUND collector',
    ],
    [
      'a message with a URL',
      new Error('request to http://u:p@h/v1/logs?k=v failed'),
      'http/json',
      'request to http://REDACTED@h/v1/logs?k=REDACTED failed',
    ],
  ] as const)('describes %s', (_case, error, protocol, described) => {
    expect(describeExportFailure(error, protocol)).toBe(described);
  });
});

describe('logsPathSuggestion', () => {
  it.each([
    ['http://collector:4318', 'http://collector:4318/v1/logs'],
    ['http://collector:4318/', 'http://collector:4318/v1/logs'],
    ['https://otlp.example.com/otlp', 'https://otlp.example.com/otlp/v1/logs'],
    ['https://h/otlp?api_key=REDACTED', 'https://h/otlp/v1/logs?api_key=REDACTED'],
    ['http://collector:4318/v1/logs', undefined],
    ['http://collector:4318/v1/logs/', undefined],
  ])('for %s: %s', (endpoint, suggestion) => {
    expect(logsPathSuggestion(endpoint)).toBe(suggestion);
  });
});
