import { reportProblem } from '../../src/core/report-problem.js';
import { resolveWinstonMapping } from '../mapping/winston.js';
import type { ResolvedWinstonMapping } from '../mapping/winston.js';
import { buildLineTransport } from '../worker/line-intake.js';
import { EncodedLogPipeline, LogPipeline } from '../worker/log-pipeline.js';
import type { OtlpExportOptions } from '../options/otlp-options.js';
import { ProtobufRecordEncoder } from './record-encoder.js';
import { readRecordLine } from './record-line.js';
import type { RecordLineFormat } from './record-line.js';

/** What the winston transport hands its worker: the OTLP options and how records go on. */
export interface OtlpWorkerData {
  readonly options: OtlpExportOptions;
  readonly lineFormat: RecordLineFormat;
  /** The transport's `flattenAttributes` option (its severity options apply on its thread). */
  readonly flattenAttributes: boolean | undefined;
  /** The transport's `recordUid` option. */
  readonly recordUid: boolean | undefined;
}

/**
 * The worker-thread half of the winston transport: reads the lines the logging thread wrote
 * (`RecordLineWriter`), maps each record — and, over a protobuf protocol, encodes it — a
 * slice at a time between reads (`mapInSlices`), and ships them. Loaded by thread-stream,
 * which calls the default export.
 */
export default function otlpWorker(data: OtlpWorkerData) {
  const { options, lineFormat } = data;
  const mapping = workerMapping(data);
  if (lineFormat === 'protobuf') {
    const encoder = new ProtobufRecordEncoder();
    const encode = (line: string): Uint8Array => encoder.encode(readRecordLine(line, mapping));
    return buildLineTransport(options, {
      createPipeline: (resolved) => new EncodedLogPipeline(resolved),
      mapperFor: () => encode,
      expectPinoConfig: false,
      mapInSlices: true,
    });
  }
  const read = (line: string) => readRecordLine(line, mapping);
  return buildLineTransport(options, {
    createPipeline: (resolved) => new LogPipeline(resolved),
    mapperFor: () => read,
    expectPinoConfig: false,
    mapInSlices: true,
  });
}

/**
 * The mapping options that apply here: the trace fields (the `fields` option) and
 * `flattenAttributes`. The transport validated them on its own thread, where an invalid one
 * stops every record from reaching this worker; this worker must not die of it either.
 */
function workerMapping({
  options,
  flattenAttributes,
  recordUid,
}: OtlpWorkerData): ResolvedWinstonMapping {
  try {
    return resolveWinstonMapping({ fields: options.fields, flattenAttributes, recordUid });
  } catch (error) {
    reportProblem('the winston transport worker', 'its mapping options are ignored', error);
    return resolveWinstonMapping({});
  }
}
