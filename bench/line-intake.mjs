// How much a worker-thread transport's line intake costs in a pino burst, apart from
// everything it does with the lines: pino.transport targets that only count the lines
// (bench/line-intake-target.cjs), each run in a fresh process, interleaved in rotating order.
// Reports, per intake, the median (min–max) time until the worker has taken every line and
// the process's peak RSS (worker included).
//   npm run build && node bench/line-intake.mjs
//   env: BENCH_RUNS (7), BENCH_RECORDS (100000)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const INTAKES = ['for-await', 'consume-lines', 'bare-writable'];
const child = fileURLToPath(new URL('./line-intake-child.mjs', import.meta.url));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spread = (xs, digits) =>
  `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;

const results = new Map(INTAKES.map((intake) => [intake, []]));
for (let run = 0; run < RUNS; run++) {
  for (let i = 0; i < INTAKES.length; i++) {
    const intake = INTAKES[(i + run) % INTAKES.length];
    const out = execFileSync(process.execPath, [child, intake], { encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop());
    results.get(intake).push(result);
    console.error(
      `  run ${run + 1}/${RUNS} ${intake}: ${result.ms.toFixed(0)} ms, ${result.peakRssMiB.toFixed(0)} MiB`,
    );
  }
}
console.log(
  `Node ${process.version}; ${process.env.BENCH_RECORDS ?? 100000} lines a run, ${RUNS} runs each`,
);
console.log('');
console.log('| intake | first call → every line taken, ms | peak RSS MiB |');
console.log('|---|---:|---:|');
for (const [intake, runs] of results) {
  console.log(
    `| ${intake} | ${spread(
      runs.map((r) => r.ms),
      0,
    )} | ${spread(
      runs.map((r) => r.peakRssMiB),
      0,
    )} |`,
  );
}
