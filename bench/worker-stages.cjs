// CPU per record of the transport worker's stages, one thread, no I/O: JSON.parse, mapping
// (fromJson path, as the pino transport uses it), the sdk-logs emit, OTLP encoding (official
// and ours). Run after `npm run build`: node bench/worker-stages.cjs
const { mapPinoRecord } = require('../dist/cjs/transports/mapping/pino.js');
const { resolvePinoMapping } = require('../dist/cjs/transports/mapping/pino.js');
const { LoggerProvider } = require('@opentelemetry/sdk-logs');
const { ProtobufLogsSerializer } = require('@opentelemetry/otlp-transformer');
const {
  createProtobufLogsSerializer,
} = require('../dist/cjs/transports/encode/logs-serializers.js');
const { toEmitInput } = require('../dist/cjs/transports/mapping/mapped-log-record.js');
const N = 100000;
const lines = [];
for (let i = 0; i < N; i++)
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
const mapping = resolvePinoMapping({});
const records = [];
const processor = {
  onEmit: (r) => records.push(r),
  forceFlush: async () => {},
  shutdown: async () => {},
};
const logger = new LoggerProvider({ processors: [processor] }).getLogger('tracelink');
const ours = createProtobufLogsSerializer();
function stage(name, fn) {
  const t = process.hrtime.bigint();
  const out = fn();
  console.log(
    name.padEnd(12),
    (Number(process.hrtime.bigint() - t) / 1e3 / N).toFixed(2),
    'µs/rec',
  );
  return out;
}
for (let round = 0; round < 3; round++) {
  records.length = 0;
  const objs = stage('JSON.parse', () => lines.map((l) => JSON.parse(l)));
  const mapped = stage('map', () => objs.map((o) => mapPinoRecord(o, mapping, Date.now(), true)));
  // As the pipeline hands records to sdk-logs (LogPipeline.emit).
  stage('emit', () => {
    for (const r of mapped) logger.emit(toEmitInput(r));
  });
  stage('official', () => {
    for (let i = 0; i < N; i += 512)
      ProtobufLogsSerializer.serializeRequest(records.slice(i, i + 512));
  });
  stage('ours', () => {
    for (let i = 0; i < N; i += 512) ours.serializeRequest(records.slice(i, i + 512));
  });
  console.log('--');
}
