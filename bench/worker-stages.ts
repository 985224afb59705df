// Worker stages: the CPU per record of each stage of the transport worker's work, one thread,
// no I/O — JSON.parse, mapping (the fromJson path, as the pino transport uses it), the
// sdk-logs emit, OTLP encoding (otlp-transformer's and tracelink's) — on 100k typical pino
// lines, three rounds. Read the stages as proportions: they move together with the machine's load.
//
//   npm run bench -- worker   (with ./record-mapping.ts)
import type * as SdkLogs from '@opentelemetry/sdk-logs';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import type * as OtlpTransformer from '@opentelemetry/otlp-transformer';
import type * as Serializers from '../transports/encode/logs-serializers.js';
import type * as MappedRecord from '../transports/mapping/mapped-log-record.js';
import type * as Mapping from '../transports/mapping/pino.js';
import { built, load, median } from './harness.js';

const { mapPinoRecord, resolvePinoMapping } = built<typeof Mapping>('transports/mapping/pino.js');
const { createProtobufLogsSerializer } = built<typeof Serializers>(
  'transports/encode/logs-serializers.js',
);
const { toEmitInput } = built<typeof MappedRecord>('transports/mapping/mapped-log-record.js');
const { LoggerProvider } = load<typeof SdkLogs>('@opentelemetry/sdk-logs');
const { ProtobufLogsSerializer } = load<typeof OtlpTransformer>('@opentelemetry/otlp-transformer');

const N = 100_000;
const ROUNDS = 3;
const lines: string[] = [];
for (let i = 0; i < N; i++) {
  lines.push(
    JSON.stringify({
      level: 30,
      time: Date.now(),
      pid: 123,
      hostname: 'h',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
      trace_flags: '01',
      i,
      user: { id: 42 },
      msg: 'handled request number ' + i,
    }),
  );
}
const mapping = resolvePinoMapping({});
const records: SdkLogRecord[] = [];
const processor: LogRecordProcessor = {
  onEmit: (r) => void records.push(r),
  forceFlush: async () => {},
  shutdown: async () => {},
};
const logger = new LoggerProvider({ processors: [processor] }).getLogger('tracelink');
const ours = createProtobufLogsSerializer();

const timings = new Map<string, number[]>();
function stage<T>(name: string, fn: () => T): T {
  const t = process.hrtime.bigint();
  const out = fn();
  const us = Number(process.hrtime.bigint() - t) / 1e3 / N;
  timings.set(name, [...(timings.get(name) ?? []), us]);
  console.error(`  ${name.padEnd(40)} ${us.toFixed(2)} µs/record`);
  return out;
}
for (let round = 0; round < ROUNDS; round++) {
  records.length = 0;
  const objs = stage('JSON.parse', () =>
    lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  );
  const mapped = stage('mapPinoRecord (fromJson)', () =>
    objs.map((o) => mapPinoRecord(o, mapping, Date.now(), true)),
  );
  // As the pipeline hands records to sdk-logs (LogPipeline.emit).
  stage('sdk-logs emit', () => {
    for (const r of mapped) logger.emit(toEmitInput(r));
  });
  stage('encode: otlp-transformer ProtobufLogsSerializer', () => {
    for (let i = 0; i < N; i += 512)
      ProtobufLogsSerializer.serializeRequest(records.slice(i, i + 512));
  });
  stage('encode: tracelink createProtobufLogsSerializer', () => {
    for (let i = 0; i < N; i += 512) ours.serializeRequest(records.slice(i, i + 512));
  });
  console.error('  --');
}

console.log(
  `### Worker stages, ${N.toLocaleString('en-US')} typical pino lines, ${ROUNDS} rounds\n`,
);
console.log('| stage | µs/record (median of the rounds) | each round |');
console.log('|---|---:|---:|');
for (const [name, xs] of timings) {
  console.log(`| ${name} | ${median(xs).toFixed(2)} | ${xs.map((x) => x.toFixed(2)).join(', ')} |`);
}
console.log('');
