// A reference pino.transport target for the transports suite (`ref-pino-zero-work`): tracelink's
// pino transport with all of its per-record work taken out. It reads pino's lines the same way
// (pino-abstract-transport, consumeLines, the bounded buffer), and queues and exports them the
// same way, but every line becomes one constant, already encoded record: no parsing, mapping,
// sdk-logs record or encoding. What it takes to deliver is the floor that making the
// per-record work cheaper could reach. Loaded by pino's worker from .cache/bench (bench/run.ts
// builds it), with this checkout's dist/cjs.
import type * as Options from '../../transports/options/otlp-options.js';
import type * as PinoOptions from '../../transports/pino/pino-otlp-transport-options.js';
import type * as Mapping from '../../transports/mapping/pino.js';
import type * as RecordLine from '../../transports/winston/record-line.js';
import type * as LineIntake from '../../transports/worker/line-intake.js';
import type * as LogPipeline from '../../transports/worker/log-pipeline.js';
import { built } from '../harness.js';

const { buildLineTransport } = built<typeof LineIntake>('transports/worker/line-intake.js');
const { pinoOtlpOptionsOf } = built<typeof PinoOptions>(
  'transports/pino/pino-otlp-transport-options.js',
);
const { EncodedLogPipeline } = built<typeof LogPipeline>('transports/worker/log-pipeline.js');
const { mapPinoRecord, resolvePinoMapping } = built<typeof Mapping>('transports/mapping/pino.js');
const { ProtobufRecordLines, fromProtobufRecordLine } = built<typeof RecordLine>(
  'transports/winston/record-line.js',
);

/** The record every line becomes: what the bench logs, as the real transport maps it. */
function constantRecord(): Uint8Array {
  const line = { level: 30, time: Date.now(), n: 0, msg: 'hello world' };
  const mapped = mapPinoRecord(line, resolvePinoMapping({}), Date.now(), true);
  return fromProtobufRecordLine(new ProtobufRecordLines().lineOf(mapped));
}

export default function zeroWorkTarget(options: Options.OtlpExportOptions) {
  const encoded = constantRecord();
  // Without what pino and its worker add to a target's options (pinoWillSendConfig, …).
  return buildLineTransport(pinoOtlpOptionsOf(options), {
    createPipeline: (resolved) => new EncodedLogPipeline(resolved),
    mapperFor: () => () => encoded,
    expectPinoConfig: true,
  });
}
