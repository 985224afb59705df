import { reportProblem } from '../../src/core/report-problem.js';
import { resolveWinstonMapping } from '../mapping/winston.js';
import type { ResolvedWinstonMapping } from '../mapping/winston.js';
import { buildLineTransport } from '../worker/line-intake.js';
import { EncodedLogPipeline, LogPipeline } from '../worker/log-pipeline.js';
import type { OtlpExportOptions } from '../options/otlp-options.js';
import { ProtobufRecordEncoder } from './record-encoder.js';
import { readRecordLine } from './record-line.js';
import { SlicedMapping } from './sliced-mapping.js';
import type { RecordLineFormat } from './record-line.js';

/** What the winston transport hands its worker: the OTLP options and how records go on. */
export interface OtlpWorkerData {
  readonly options: OtlpExportOptions;
  readonly lineFormat: RecordLineFormat;
  /** The transport's `flattenAttributes` option (its severity options apply on its thread). */
  readonly flattenAttributes: boolean | undefined;
}

/**
 * The worker-thread half of the winston transport: reads the lines the logging thread wrote
 * (`RecordLineWriter`), maps each record — and, over a protobuf protocol, encodes it — a
 * slice at a time between reads ({@link SlicedMapping}), and ships them. Loaded by thread-stream, which calls the default export.
 */
export default function otlpWorker({ options, lineFormat, flattenAttributes }: OtlpWorkerData) {
  const mapping = workerMapping(options, flattenAttributes);
  // The line buffer hands lines on as they are; SlicedMapping maps them a slice at a time.
  const asIs = (line: string): string => line;
  if (lineFormat === 'protobuf') {
    const encoder = new ProtobufRecordEncoder();
    const encode = (line: string): Uint8Array => encoder.encode(readRecordLine(line, mapping));
    // A disk spool numbers records as it hands them to the queue, so it maps them itself.
    if (options.spool !== undefined) {
      return buildLineTransport(options, {
        createPipeline: (resolved) => new EncodedLogPipeline(resolved),
        mapperFor: () => encode,
        expectPinoConfig: false,
      });
    }
    return buildLineTransport(options, {
      createPipeline: (resolved) => new SlicedMapping(new EncodedLogPipeline(resolved), encode),
      mapperFor: () => asIs,
      expectPinoConfig: false,
    });
  }
  const read = (line: string) => readRecordLine(line, mapping);
  if (options.spool !== undefined) {
    return buildLineTransport(options, {
      createPipeline: (resolved) => new LogPipeline(resolved),
      mapperFor: () => read,
      expectPinoConfig: false,
    });
  }
  return buildLineTransport(options, {
    createPipeline: (resolved) => new SlicedMapping(new LogPipeline(resolved), read),
    mapperFor: () => asIs,
    expectPinoConfig: false,
  });
}

/**
 * The mapping options that apply here: the trace fields (the `fields` option) and
 * `flattenAttributes`. The transport validated them on its own thread, where an invalid one
 * stops every record from reaching this worker; this worker must not die of it either.
 */
function workerMapping(
  options: OtlpExportOptions,
  flattenAttributes: boolean | undefined,
): ResolvedWinstonMapping {
  try {
    return resolveWinstonMapping({ fields: options.fields, flattenAttributes });
  } catch (error) {
    reportProblem('the winston transport worker', 'its mapping options are ignored', error);
    return resolveWinstonMapping({});
  }
}
