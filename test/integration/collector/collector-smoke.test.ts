import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as OTLPGrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { CollectorStartError, startCollector } from './start-collector.js';
import type { RunningCollector } from './start-collector.js';

// The harness itself, proven against the real collector: what goes in over OTLP comes back out of
// the file exporter field for field, and the collector can be stopped and started again.
const SPAN_CONTEXT: SpanContext = {
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  traceFlags: 1,
};

function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** One hand-built OTLP/JSON ExportLogsServiceRequest with a single record whose body is `text`. */
function jsonRequest(text: string, serviceName = 'smoke-json'): unknown {
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
        scopeLogs: [
          {
            scope: { name: 'tracelink-smoke', version: '1.2.3' },
            logRecords: [
              {
                timeUnixNano: '1700000000000000001',
                observedTimeUnixNano: '1700000000000000002',
                severityNumber: 17,
                severityText: 'ERROR',
                body: { stringValue: text },
                attributes: [
                  { key: 'http.response.status_code', value: { intValue: '502' } },
                  {
                    key: 'order',
                    value: {
                      kvlistValue: {
                        values: [
                          { key: 'id', value: { stringValue: 'o-1' } },
                          { key: 'paid', value: { boolValue: false } },
                          { key: 'total', value: { doubleValue: 12.5 } },
                          {
                            key: 'items',
                            value: {
                              arrayValue: { values: [{ intValue: '1' }, { intValue: '2' }] },
                            },
                          },
                        ],
                      },
                    },
                  },
                ],
                traceId: SPAN_CONTEXT.traceId,
                spanId: SPAN_CONTEXT.spanId,
                flags: 1,
              },
            ],
          },
        ],
      },
    ],
  };
}

/** Real SDK log records (LoggerProvider → in-memory exporter), the input of the OTLP serializers. */
async function sdkLogRecords(serviceName: string): Promise<ReadableLogRecord[]> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  provider.getLogger('tracelink-smoke', '1.2.3').emit({
    timestamp: [1700000000, 123456789],
    observedTimestamp: [1700000001, 0],
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: { event: 'checkout', count: 3 },
    attributes: {
      'user.id': 'u-7',
      retries: 2,
      ratio: 0.25,
      tags: ['a', 'b'],
      raw: new Uint8Array([1, 2, 3]),
    },
    context: trace.setSpanContext(ROOT_CONTEXT, SPAN_CONTEXT),
  });
  await provider.forceFlush();
  const records = exporter.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}

/** What {@link sdkLogRecords} should come back as. */
function expectedSdkRecord(serviceName: string) {
  return {
    timeUnixNano: '1700000000123456789',
    observedTimeUnixNano: '1700000001000000000',
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: { event: 'checkout', count: 3 },
    attributes: { 'user.id': 'u-7', retries: 2, ratio: 0.25, tags: ['a', 'b'], raw: 'AQID' },
    eventName: '',
    traceId: SPAN_CONTEXT.traceId,
    spanId: SPAN_CONTEXT.spanId,
    flags: 1,
    resource: { 'service.name': serviceName },
    scope: { name: 'tracelink-smoke', version: '1.2.3' },
  };
}

describe('startCollector', () => {
  let collector: RunningCollector;
  beforeEach(async () => {
    collector = await startCollector();
  });
  afterEach(() => collector.stop());

  describe('over OTLP/HTTP JSON', () => {
    it('writes back a hand-built request field for field', async () => {
      const response = await postJson(collector.logsUrl, jsonRequest('payment failed'));
      expect(response.status).toBe(200);
      expect(await collector.waitForLogRecords(1)).toEqual([
        {
          timeUnixNano: '1700000000000000001',
          observedTimeUnixNano: '1700000000000000002',
          severityNumber: 17,
          severityText: 'ERROR',
          body: 'payment failed',
          attributes: {
            'http.response.status_code': 502,
            order: { id: 'o-1', paid: false, total: 12.5, items: [1, 2] },
          },
          eventName: '',
          traceId: SPAN_CONTEXT.traceId,
          spanId: SPAN_CONTEXT.spanId,
          flags: 1,
          resource: { 'service.name': 'smoke-json' },
          scope: { name: 'tracelink-smoke', version: '1.2.3' },
        },
      ]);
    });
  });

  describe('over OTLP/HTTP protobuf', () => {
    it('writes back SDK records serialized by @opentelemetry/otlp-transformer', async () => {
      const body = ProtobufLogsSerializer.serializeRequest(await sdkLogRecords('smoke-proto'));
      const response = await fetch(collector.logsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body,
      });
      expect(response.status).toBe(200);
      expect(await collector.waitForLogRecords(1)).toEqual([expectedSdkRecord('smoke-proto')]);
    });
  });

  describe('over OTLP/gRPC', () => {
    it('writes back SDK records sent by the gRPC log exporter to grpcEndpoint', async () => {
      const exporter = new OTLPGrpcLogExporter({ url: collector.grpcEndpoint });
      const records = await sdkLogRecords('smoke-grpc');
      const result = await new Promise((resolve) => exporter.export(records, resolve));
      await exporter.shutdown();
      expect(result).toEqual({ code: 0 });
      expect(await collector.waitForLogRecords(1)).toEqual([expectedSdkRecord('smoke-grpc')]);
    });
  });

  describe('stopReceiving and startAgain', () => {
    it('refuses requests while stopped and accepts them on the same port after', async () => {
      expect((await postJson(collector.logsUrl, jsonRequest('before'))).status).toBe(200);
      await collector.stopReceiving();
      await expect(postJson(collector.logsUrl, jsonRequest('while stopped'))).rejects.toThrow();
      await collector.startAgain();
      expect((await postJson(collector.logsUrl, jsonRequest('after'))).status).toBe(200);
      const records = await collector.waitForLogRecords(2);
      expect(records.map((record) => record.body)).toEqual(['before', 'after']);
    });
  });

  describe('waitForLogRecords', () => {
    it('fails with how many records arrived', async () => {
      await postJson(collector.logsUrl, jsonRequest('only one'));
      await expect(collector.waitForLogRecords(2, 500)).rejects.toThrow(
        /expected at least 2 log records within 500 ms, but 1 arrived/,
      );
    });
  });
});

describe('startCollector options', () => {
  it('puts extraProcessors in front of batch', async () => {
    const collector = await startCollector({
      extraProcessors: { memory_limiter: { check_interval: '1s', limit_mib: 256 } },
    });
    try {
      expect((await postJson(collector.logsUrl, jsonRequest('limited'))).status).toBe(200);
      expect((await collector.waitForLogRecords(1)).map((record) => record.body)).toEqual([
        'limited',
      ]);
    } finally {
      await collector.stop();
    }
  });

  it('adds the debug exporter, which writes records into the collector log', async () => {
    const collector = await startCollector({ logLevel: 'info', debugVerbosity: 'detailed' });
    try {
      await postJson(collector.logsUrl, jsonRequest('seen by debug'));
      await collector.waitForLogRecords(1);
      expect(collector.readCollectorLog(200)).toContain('seen by debug');
    } finally {
      await collector.stop();
    }
  });

  it('fails with the collector log when the config is refused', async () => {
    const starting = startCollector({ extraProcessors: { no_such_processor: {} } });
    await expect(starting).rejects.toThrow(CollectorStartError);
    await expect(starting).rejects.toThrow(/unknown type: "no_such_processor"/);
  });
});

describe('startCollector({ receiverMaxRecvMsgSizeMib })', () => {
  it('rejects a request over the limit and writes nothing', async () => {
    const collector = await startCollector({ receiverMaxRecvMsgSizeMib: 1 });
    try {
      const response = await postJson(collector.logsUrl, jsonRequest('x'.repeat(1024 * 1024)));
      expect(response.status).toBe(400);
      expect((await postJson(collector.logsUrl, jsonRequest('small'))).status).toBe(200);
      const records = await collector.waitForLogRecords(1);
      expect(records.map((record) => record.body)).toEqual(['small']);
    } finally {
      await collector.stop();
    }
  });
});
