import type { SpanContext } from '@opentelemetry/api';
import { startCollector } from './collector/start-collector.js';
import type { ReceivedLogRecord, RunningCollector } from './collector/start-collector.js';
import { runFixture } from './run-fixture.js';

let collector: RunningCollector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(() => collector.stop());

describe('withLogFields through the OTLP transports, against the real collector', () => {
  let records: ReceivedLogRecord[];
  let span: SpanContext;

  beforeAll(async () => {
    const run = await runFixture('log-fields-app.cjs', {
      FIXTURE_OPTIONS: JSON.stringify({ endpoint: collector.logsUrl, serviceName: 'fields' }),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    span = run.report as unknown as SpanContext;
    records = await collector.waitForLogRecords(7, 30_000);
  });

  const of = (transport: string, body: string) =>
    records.find((r) => r.resource['service.name'] === `fields-${transport}` && r.body === body);

  describe.each(['pino', 'winston'])('tracelink/%s-transport', (transport) => {
    it('ships the scope’s fields as attributes, beside the span context', () => {
      expect(of(transport, 'in scope')).toMatchObject({
        traceId: span.traceId,
        spanId: span.spanId,
        attributes: { tenant: 'acme', orderId: 42, vip: true },
      });
    });

    it('merges nested scopes, and the line’s own fields win', () => {
      expect(of(transport, 'nested')?.attributes).toEqual({
        tenant: 'own',
        orderId: 43,
        vip: true,
        step: 'charge',
      });
    });

    it('ships no fields outside the scope', () => {
      expect(of(transport, 'outside')?.attributes).toEqual({});
    });
  });

  it('ships the fields of a winston record mapped on the logging thread (holding an Error)', () => {
    expect(of('winston', 'nested error')?.attributes).toMatchObject({
      tenant: 'acme',
      step: 'charge',
      'exception.message': 'declined',
    });
  });
});
