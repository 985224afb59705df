// The pino.transport targets of bench/line-intake.mjs: each only counts the lines it gets,
// so a run measures the intake alone — how a worker-thread transport receives pino's lines —
// without mapping, encoding or export. `options.intake` picks one.
const { Writable } = require('node:stream');
const build = require('pino-abstract-transport');
const { consumeLines } = require('../dist/cjs/transports/worker/line-intake.js');

const LINE_OPTIONS = { parse: 'lines', parseLine: (line) => line };

const intakes = {
  // pino-abstract-transport's line stream, iterated as its README shows.
  'for-await': () =>
    build(async (source) => {
      let lines = 0;
      for await (const line of source) lines += line.length > 0 ? 1 : 0;
      return lines;
    }, LINE_OPTIONS),
  // The same line stream through tracelink's consumeLines ('data' events), as the transports read it.
  'consume-lines': () =>
    build(async (source) => {
      let lines = 0;
      await consumeLines(source, (line) => void (lines += line.length > 0 ? 1 : 0));
      return lines;
    }, LINE_OPTIONS),
  // The floor: thread-stream's chunks taken and dropped, no line splitting at all.
  'bare-writable': () =>
    new Writable({
      decodeStrings: false,
      write(chunk, encoding, callback) {
        callback();
      },
    }),
};

module.exports = ({ intake }) => intakes[intake]();
