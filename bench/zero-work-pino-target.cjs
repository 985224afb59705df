// A reference pino.transport target for bench/transports.mjs (`ref-pino-zero-work`): tracelink's
// pino transport with all of its per-record work taken out. It reads pino's lines the same way
// (pino-abstract-transport, consumeLines, the bounded buffer), and queues and exports them the
// same way, but every line becomes one constant, already encoded record: no parsing, mapping,
// sdk-logs record or encoding. What it takes to deliver is the floor that making the
// per-record work cheaper could reach. Needs `npm run build`.
const { buildLineTransport } = require('../dist/cjs/transports/worker/line-intake.js');
const { EncodedLogPipeline } = require('../dist/cjs/transports/worker/log-pipeline.js');
const { mapPinoRecord, resolvePinoMapping } = require('../dist/cjs/transports/mapping/pino.js');
const {
  ProtobufRecordLines,
  fromProtobufRecordLine,
} = require('../dist/cjs/transports/winston/record-line.js');

/** The record every line becomes: what the bench logs, as the real transport maps it. */
function constantRecord() {
  const line = { level: 30, time: Date.now(), n: 0, msg: 'hello world' };
  const mapped = mapPinoRecord(line, resolvePinoMapping({}), Date.now(), true);
  return fromProtobufRecordLine(new ProtobufRecordLines().lineOf(mapped));
}

module.exports = (options) => {
  const encoded = constantRecord();
  // The OTLP options only: the resolver rejects names it does not know, and pino and
  // thread-stream add `pinoWillSendConfig` and `$context` to a target's options.
  const { pinoWillSendConfig: _pino, $context: _threadStream, ...otlpOptions } = options;
  return buildLineTransport(otlpOptions, {
    createPipeline: (resolved) => new EncodedLogPipeline(resolved),
    mapperFor: () => () => encoded,
    expectPinoConfig: true,
  });
};
