import fs from 'node:fs';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPExporterError } from '@opentelemetry/otlp-exporter-base';
import { resolveOtlpOptions } from '../../../../transports/options/resolve-otlp-options.js';
import type { OtlpExportOptions } from '../../../../transports/options/otlp-options.js';
import { EncodedLogPipeline } from '../../../../transports/worker/log-pipeline.js';
import { destinationOf } from '../../../../transports/worker/report/destination.js';
import type { BatchExporter } from '../../../../transports/worker/export-queue.js';
import type { EncodedLogRecord } from '../../../../transports/encode/encode-logs-request.js';

/** Answers each export as `answer` says. */
class ScriptedExporter implements BatchExporter<EncodedLogRecord> {
  constructor(public answer: () => ExportResult) {}
  export(_records: EncodedLogRecord[], done: (result: ExportResult) => void): void {
    setImmediate(() => done(this.answer()));
  }
  shutdown = () => Promise.resolve();
}

const SECRET_ENDPOINT = 'https://tenant:PASS@collector.example.com:4318/v1/logs?api_key=s3cret';
const REDACTED_ENDPOINT = 'https://REDACTED@collector.example.com:4318/v1/logs?api_key=REDACTED';

/** Every line written to stderr while `run` runs. */
async function stderrOf(run: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(fs, 'writeSync').mockImplementation((fd, text) => {
    if (fd === 2) lines.push(String(text).trimEnd());
    return 0;
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

function pipelineWith(options: OtlpExportOptions, exporter: ScriptedExporter) {
  return new EncodedLogPipeline(
    resolveOtlpOptions({ scheduledDelayMillis: 1, ...options }, {}),
    exporter,
  );
}

describe('the reports of a pipeline', () => {
  it('reports the first failed export while running, naming the destination redacted', async () => {
    const exporter = new ScriptedExporter(() => ({
      code: ExportResultCode.FAILED,
      error: new OTLPExporterError('Unauthorized', 401),
    }));
    const pipeline = pipelineWith({ endpoint: SECRET_ENDPOINT }, exporter);
    const lines = await stderrOf(async () => {
      pipeline.stats.received = 2;
      pipeline.emit(new Uint8Array([1]));
      pipeline.emit(new Uint8Array([2]));
      await pipeline.flushUntil(Date.now() + 2000);
    });
    expect(lines).toEqual([
      `tracelink: exporting logs to ${REDACTED_ENDPOINT} failed: HTTP 401 Unauthorized; its 2 ` +
        'records dropped (counted as rejected: sending again cannot help). While exports fail, ' +
        'a summary follows every 60 s.',
    ]);
    expect(pipeline.stats.counters.snapshot()).toMatchObject({
      failing: true,
      lastError: '401 Unauthorized',
      dropped: { rejected: 2 },
    });
    const atExit = await stderrOf(() => pipeline.shutdownUntil(Date.now() + 1000));
    expect(atExit).toEqual([
      `tracelink: 2 of 2 log records were not delivered to ${REDACTED_ENDPOINT} (2 rejected); ` +
        'last export error: 401 Unauthorized',
    ]);
    expect(atExit.join('\n')).not.toMatch(/PASS|s3cret/);
  });

  it('reports recovery when an export succeeds again', async () => {
    let fail = true;
    const exporter = new ScriptedExporter(() =>
      fail
        ? {
            code: ExportResultCode.FAILED,
            error: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
              code: 'ECONNREFUSED',
            }),
          }
        : { code: ExportResultCode.SUCCESS },
    );
    const pipeline = pipelineWith({ endpoint: 'http://127.0.0.1:9/v1/logs' }, exporter);
    const lines = await stderrOf(async () => {
      pipeline.stats.received = 1;
      pipeline.emit(new Uint8Array([1]));
      await new Promise((resolve) => setTimeout(resolve, 50));
      fail = false;
      await pipeline.flushUntil(Date.now() + 3000);
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(
      'failed: connect ECONNREFUSED 127.0.0.1:9; its 1 record kept and sent again.',
    );
    expect(lines[1]).toMatch(
      /^tracelink: exporting logs to http:\/\/127\.0\.0\.1:9\/v1\/logs works again, after \d+ s; 0 records buffered, 0 in flight, 1 delivered and 0 dropped so far$/,
    );
    expect(pipeline.stats.failing).toBe(false);
    await pipeline.shutdownUntil(Date.now() + 1000);
  });

  it('says that records in flight at exit may have arrived', async () => {
    const exporter = new ScriptedExporter(() => ({ code: ExportResultCode.SUCCESS }));
    exporter.export = () => undefined; // never answers
    const pipeline = pipelineWith({ endpoint: 'http://collector:4318/v1/logs' }, exporter);
    pipeline.stats.received = 1;
    pipeline.emit(new Uint8Array([1]));
    const lines = await stderrOf(() => pipeline.shutdownUntil(Date.now() + 100));
    expect(lines).toEqual([
      'tracelink: 1 of 1 log records were not delivered to http://collector:4318/v1/logs (1 in-flight-at-exit)',
      'tracelink: the 1 in-flight-at-exit records were in requests http://collector:4318/v1/logs ' +
        'had not answered when the exit budget ended; they may have arrived',
    ]);
  });
});

describe('destinationOf', () => {
  it.each([
    [{ endpoint: SECRET_ENDPOINT }, {}, REDACTED_ENDPOINT],
    [{}, {}, 'http://localhost:4318/v1/logs'],
    [{ protocol: 'grpc' as const }, {}, 'http://localhost:4317'],
    [
      {},
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://u:p@otlp.example.com' },
      'https://REDACTED@otlp.example.com/v1/logs',
    ],
    [{}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }, 'http://c:4318/v1/logs'],
    [
      {},
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://l/logs?k=v',
      },
      'http://l/logs?k=REDACTED',
    ],
    [
      { protocol: 'grpc' as const },
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317' },
      'http://c:4317',
    ],
    [{ exporter: 'console' as const }, {}, 'the console exporter'],
  ])('for %j and the environment %j: %s', (options, env, destination) => {
    expect(destinationOf(resolveOtlpOptions(options, {}), env)).toBe(destination);
  });
});
