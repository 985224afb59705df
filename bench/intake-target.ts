// The pino.transport targets of the intake suite (./intake.ts): each only counts the lines it
// gets, so a run measures the intake alone — how a worker-thread transport receives pino's
// lines — without mapping, encoding or export. `options.intake` picks one. Loaded by pino's
// worker from .cache/bench (bench/run.ts builds it), with this checkout's dist/cjs.
import { Writable } from 'node:stream';
import type build from 'pino-abstract-transport';
import type * as LineIntake from '../transports/worker/line-intake.js';
import { built, load } from './harness.js';

const abstractTransport = load<typeof build>('pino-abstract-transport');
const { consumeLines } = built<typeof LineIntake>('transports/worker/line-intake.js');

const LINE_OPTIONS = { parse: 'lines', parseLine: (line: string) => line } as const;
/** Lines taken: counting them is the only work, and a result the JIT cannot drop. */
export let taken = 0;

const INTAKES = {
  // pino-abstract-transport's line stream, iterated as its README shows.
  'for-await': () =>
    abstractTransport(async (source) => {
      for await (const line of source as AsyncIterable<string>) taken += line.length > 0 ? 1 : 0;
    }, LINE_OPTIONS),
  // The same line stream through tracelink's consumeLines ('data' events), as the transports read it.
  'consume-lines': () =>
    abstractTransport(async (source) => {
      await consumeLines(source, (line) => void (taken += line.length > 0 ? 1 : 0));
    }, LINE_OPTIONS),
  // The floor: thread-stream's chunks taken and dropped, no line splitting at all.
  'bare-writable': () =>
    new Writable({
      decodeStrings: false,
      write(_chunk, _encoding, callback) {
        callback();
      },
    }),
};

export default function intakeTarget({ intake }: { intake: keyof typeof INTAKES }) {
  return INTAKES[intake]();
}
