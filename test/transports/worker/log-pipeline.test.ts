import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  createResource,
  EncodedLogPipeline,
  LogPipeline,
} from '../../../transports/worker/log-pipeline.js';
import { mapPinoRecord, resolvePinoMapping } from '../../../transports/mapping/pino.js';
import { parsePinoLine } from '../../../transports/mapping/json-values.js';
import { resolveOtlpOptions } from '../../../transports/options/resolve-otlp-options.js';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { BatchExporter } from '../../../transports/worker/export-queue.js';
import type { EncodedLogRecord } from '../../../transports/encode/encode-logs-request.js';
import { createProtobufLogsSerializer } from '../../../transports/encode/logs-serializers.js';
import { ProtoWriter } from '../../../transports/encode/proto-writer.js';
import { writeLogRecord } from '../../../transports/encode/write-log-record.js';
import type { OtlpExportOptions } from '../../../transports/options/otlp-options.js';
import { SAMPLED, emitRecords } from '../encode/log-records.js';
import { decodeLogsRequest } from '../encode/otlp-logs-schema.js';
import { typedRecordsOfProtobuf } from '../encode/any-values.js';

describe('createResource', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('layers SDK defaults < record facts < OTEL_RESOURCE_ATTRIBUTES/OTEL_SERVICE_NAME < options', () => {
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment=prod,host.name=from-env';
    process.env.OTEL_SERVICE_NAME = 'env-service';
    const fromRecords = { 'host.name': 'from-record', 'process.pid': 42 };
    const attributes = createResource(resolveOtlpOptions({}, {}), fromRecords).attributes;
    expect(attributes).toMatchObject({
      'service.name': 'env-service',
      'deployment.environment': 'prod',
      'host.name': 'from-env',
      'process.pid': 42,
      'telemetry.sdk.language': 'nodejs',
    });
    const withOptions = createResource(
      resolveOtlpOptions(
        { serviceName: 'opt-service', resource: { 'deployment.environment': 'staging' } },
        {},
      ),
      fromRecords,
    ).attributes;
    expect(withOptions).toMatchObject({
      'service.name': 'opt-service',
      'deployment.environment': 'staging',
    });
  });

  it('keeps only scalar record facts', () => {
    delete process.env.OTEL_RESOURCE_ATTRIBUTES;
    const attributes = createResource(resolveOtlpOptions({}, {}), {
      'host.name': 'h',
      nested: { a: 1 },
    }).attributes;
    expect(attributes['host.name']).toBe('h');
    expect(attributes).not.toHaveProperty(['nested']);
  });
});

// The pipeline's exporter serializes each batch as the protobuf exporter does and keeps the
// request body; the HTTP part of that exporter, with records that came encoded, is tested
// against the real collector (test/integration/winston-transport.test.ts, http/protobuf).
class BodyKeepingExporter implements BatchExporter<EncodedLogRecord> {
  readonly bodies: Uint8Array[] = [];
  private readonly serializer = createProtobufLogsSerializer();
  export(records: EncodedLogRecord[], done: (result: ExportResult) => void): void {
    this.bodies.push(this.serializer.serializeRequest(records)!);
    setImmediate(() => done({ code: ExportResultCode.SUCCESS }));
  }
  shutdown = () => Promise.resolve();
}

/** The LogRecord bytes of each record, as the winston transport's logging thread writes them. */
function encodedRecords(bodiesOfRecords: string[]): Uint8Array[] {
  return emitRecords(bodiesOfRecords.map((body) => ({ body, span: SAMPLED }))).map((record) => {
    const writer = new ProtoWriter();
    writeLogRecord(writer, record);
    return writer.copyOut();
  });
}

function pipelineWith(options: OtlpExportOptions, env: NodeJS.ProcessEnv = {}) {
  const exporter = new BodyKeepingExporter();
  return { pipeline: new EncodedLogPipeline(resolveOtlpOptions(options, env), exporter), exporter };
}

type Decoded = {
  resource: { attributes: { key: string; value: { string_value?: string } }[] };
  scope_logs: { scope: { name: string }; log_records: { body: { string_value: string } }[] }[];
};

describe('EncodedLogPipeline', () => {
  it('sends the records as they came, under the resource and the tracelink scope', async () => {
    const { pipeline, exporter } = pipelineWith({ serviceName: 'orders', maxExportBatchSize: 2 });
    for (const record of encodedRecords(['one', 'two', 'three'])) pipeline.emit(record);
    expect(await pipeline.flushUntil(Date.now() + 3_000)).toBe(true);
    expect(pipeline.stats.delivered).toBe(3);
    expect(exporter.bodies).toHaveLength(2); // batches of two
    const sent = exporter.bodies.map((body) => decodeLogsRequest(body).resource_logs as Decoded[]);
    for (const [resourceLogs] of sent) {
      expect(resourceLogs.resource.attributes).toContainEqual({
        key: 'service.name',
        value: { string_value: 'orders', value: 'string_value' },
      });
      expect(resourceLogs.scope_logs).toHaveLength(1);
      expect(resourceLogs.scope_logs[0].scope).toEqual({ name: 'tracelink' });
    }
    const received = sent.flatMap(([r]) => r.scope_logs[0].log_records);
    expect(received.map((r) => r.body.string_value)).toEqual(['one', 'two', 'three']);
    expect(received[0]).toMatchObject({
      trace_id: Buffer.from(SAMPLED.traceId, 'hex').toString('base64'),
      span_id: Buffer.from(SAMPLED.spanId, 'hex').toString('base64'),
      flags: 1,
    });
    await pipeline.shutdownUntil(Date.now() + 5_000);
  });

  it('takes nothing when the SDK is disabled', async () => {
    const { pipeline, exporter } = pipelineWith({}, { OTEL_SDK_DISABLED: 'true' });
    for (const record of encodedRecords(['ignored'])) pipeline.emit(record);
    expect(pipeline.hasSpace()).toBe(true);
    expect(await pipeline.flushUntil(Date.now() + 1_000)).toBe(true);
    expect(exporter.bodies).toHaveLength(0);
    await pipeline.shutdownUntil(Date.now() + 1_000);
  });
});

// The records the pipeline hands its exporter, protobuf-encoded as the exporter would send them.
class RecordKeepingExporter implements BatchExporter<ReadableLogRecord> {
  readonly records: ReadableLogRecord[] = [];
  export(records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
    this.records.push(...records);
    setImmediate(() => done({ code: ExportResultCode.SUCCESS }));
  }
  shutdown = () => Promise.resolve();
}

describe('LogPipeline', () => {
  /** Maps each pino line as the pino transport's worker does, and sends them. */
  async function send(lines: string[]) {
    const exporter = new RecordKeepingExporter();
    const pipeline = new LogPipeline(resolveOtlpOptions({}, {}), exporter);
    const mapping = resolvePinoMapping();
    for (const line of lines)
      pipeline.emit(mapPinoRecord(parsePinoLine(line, 'msg'), mapping, 0, true));
    expect(await pipeline.flushUntil(Date.now() + 3_000)).toBe(true);
    await pipeline.shutdownUntil(Date.now() + 3_000);
    const sent = createProtobufLogsSerializer().serializeRequest(exporter.records)!;
    return { exporter, sent: typedRecordsOfProtobuf(sent) };
  }

  it('sends a nested constructor or __proto__ key as data, with the rest of the batch', async () => {
    const { sent } = await send([
      '{"level":30,"msg":"a","user":{"constructor":"x","name":"alice"}}',
      '{"level":30,"msg":"b","p":{"__proto__":{"admin":true},"b":2},"__proto__":"top"}',
      '{"level":30,"msg":"c","n":1}',
    ]);
    // Object.fromEntries makes an own __proto__ key, as JSON.parse does.
    expect(sent).toEqual([
      { body: 'a', attributes: { user: { constructor: 'x', name: 'alice' } }, dropped: 0 },
      {
        body: 'b',
        attributes: Object.fromEntries([
          [
            'p',
            Object.fromEntries([
              ['__proto__', { admin: true }],
              ['b', 2n],
            ]),
          ],
          ['__proto__', 'top'],
        ]),
        dropped: 0,
      },
      { body: 'c', attributes: { n: 1n }, dropped: 0 },
    ]);
    expect(Object.keys(sent[1]?.attributes ?? {})).toEqual(['p', '__proto__']);
  });
});
