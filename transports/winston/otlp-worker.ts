import { EncodedLogPipeline } from '../worker/log-pipeline.js';
import { buildLineTransport } from '../worker/line-intake.js';
import { LogPipeline } from '../worker/log-pipeline.js';
import type { OtlpExportOptions } from '../options/otlp-options.js';
import { fromProtobufRecordLine } from './record-line.js';
import type { RecordLineFormat } from './record-line.js';
import { fromRecordLine } from './record-line.js';

/** What the winston transport hands its worker: the OTLP options and how lines are written. */
export interface OtlpWorkerData {
  readonly options: OtlpExportOptions;
  readonly lineFormat: RecordLineFormat;
}

/**
 * The worker-thread half of the winston transport: reads the records the main thread mapped
 * (as JSON, or already encoded) and ships them. Loaded by thread-stream, which calls the
 * default export.
 */
export default function otlpWorker({ options, lineFormat }: OtlpWorkerData) {
  if (lineFormat === 'protobuf') {
    return buildLineTransport(options, {
      createPipeline: (resolved) => new EncodedLogPipeline(resolved),
      mapperFor: () => fromProtobufRecordLine,
      expectPinoConfig: false,
    });
  }
  return buildLineTransport(options, {
    createPipeline: (resolved) => new LogPipeline(resolved),
    mapperFor: () => fromRecordLine,
    expectPinoConfig: false,
  });
}
