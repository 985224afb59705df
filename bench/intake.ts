// Intake: what a worker-thread transport's line intake costs in a pino burst, apart from
// everything it does with the lines. pino.transport targets that only count the lines
// (./intake-target.ts), 100k lines in one synchronous burst, each run in a fresh process
// (this file, `child <intake>`), interleaved in rotating order. Reports, per intake, the median
// (min–max) time from the first call until pino's exit hook has seen the worker take every
// line, and the process's peak RSS (worker included).
//
//   npm run bench -- intake
//   env: BENCH_RUNS (7), BENCH_RECORDS (100000)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Pino from 'pino';
import { fmt, knob, load, spread } from './harness.js';

const RUNS = knob('BENCH_RUNS', 7);
const RECORDS = knob('BENCH_RECORDS', 100_000);
const INTAKES = ['for-await', 'consume-lines', 'bare-writable'];
const ABOUT: Record<string, string> = {
  'for-await': "pino-abstract-transport's line stream, `for await` (as its README shows)",
  'consume-lines': "the same line stream, read by `consumeLines` ('data' events; tracelink's)",
  'bare-writable':
    "a bare `Writable` that drops thread-stream's chunks (no line splitting: the floor)",
};

interface ChildResult {
  intake: string;
  ms: number;
  peakRssMiB: number;
}

/** One run: a pino logger with the intake as its transport logs RECORDS lines, and ends. */
function child(intake: string): void {
  const pino = load<typeof Pino>('pino');
  // Built next to this file by bench/run.ts, as this file is.
  const target = fileURLToPath(new URL('./intake-target.mjs', import.meta.url));
  const transport = pino.transport({ target, options: { intake } });
  const logger = pino({}, transport);
  const fields = {
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    span_id: '00f067aa0ba902b7',
    trace_flags: '01',
  };
  transport.once('ready', () => {
    setTimeout(() => {
      const start = process.hrtime.bigint();
      for (let n = 0; n < RECORDS; n++) logger.info({ n, ...fields }, 'hello world');
      // pino's exit hook ends the stream and waits until the worker has taken every line.
      process.once('exit', () => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        const status = readFileSync('/proc/self/status', 'utf8');
        const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
        const result: ChildResult = { intake, ms, peakRssMiB: peakKiB / 1024 };
        process.stdout.write(`${JSON.stringify(result)}\n`);
      });
    }, 300);
  });
}

function parent(): void {
  const self = fileURLToPath(import.meta.url);
  const results = new Map<string, ChildResult[]>(INTAKES.map((intake) => [intake, []]));
  for (let run = 0; run < RUNS; run++) {
    for (let i = 0; i < INTAKES.length; i++) {
      const intake = INTAKES[(i + run) % INTAKES.length];
      const out = execFileSync(process.execPath, [self, 'child', intake], { encoding: 'utf8' });
      const result = JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
      results.get(intake)!.push(result);
      console.error(
        `  run ${run + 1}/${RUNS} ${intake}: ${result.ms.toFixed(0)} ms, ${result.peakRssMiB.toFixed(0)} MiB`,
      );
    }
  }
  console.log(`${fmt(RECORDS)} lines a run, ${RUNS} runs each, interleaved.\n`);
  console.log(
    '| intake (the worker does nothing else) | first call → every line taken, ms | peak RSS MiB |',
  );
  console.log('|---|---:|---:|');
  for (const [intake, runs] of results) {
    const ms = spread(runs.map((r) => r.ms));
    console.log(
      `| \`${intake}\`: ${ABOUT[intake]} | ${ms} | ${spread(runs.map((r) => r.peakRssMiB))} |`,
    );
  }
}

if (process.argv[2] === 'child') child(process.argv[3]);
else parent();
