// Requests per second of a node:http server with and without the tracelink middleware, under
// autocannon on 127.0.0.1. Variants, each in its own server process (bench/http-server-child.mjs):
//   plain                 no tracelink middleware (the baseline)
//   context-only          no tracelink: each request run in an AsyncLocalStorage context
//   ref-busy-3us          no tracelink: plain plus 3 µs of busy CPU per request (a reference:
//                         what this setup makes of any 3 µs of per-request work)
//   ref-fields-only       no tracelink: plain, but each log line carries three constant trace
//                         fields (a mixin returning them): the cost of the ids in the output
//                         alone, a floor for any middleware that stamps them
//   tracelink-lightweight traceRequests, no tracing SDK (a child span context per request)
//   tracelink-sdk         traceRequests with the SDK: a SERVER span per request (batched, dropped)
//   instrumentation-http  @opentelemetry/instrumentation-http with the SDK, for comparison
// Every request carries a traceparent (the case the middleware exists for). Rounds are
// interleaved and rotated as in harness.mjs; the ratio is the median of per-round ratios.
// Run: npm run bench:http   (BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ONLY,
// BENCH_BASELINE_DIR override; BENCH_PIN=1 runs each server on CPU 0 and this process — the
// load generator — on CPU 1 (Linux `taskset`), so the two never compete for a core;
// BENCH_HANDLER=api measures a small JSON API handler instead of the trivial one)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { SERVER_CHILD, startHttpServer } from './http-server-process.mjs';
import { TRACE_HEADERS } from './traced-request.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const ALL_VARIANTS = [
  'plain',
  'context-only',
  'ref-busy-3us',
  'ref-fields-only',
  'tracelink-lightweight',
  'tracelink-sdk',
  'instrumentation-http',
];
// BENCH_ONLY=a,b limits the run to some variants; plain always runs, as the baseline.
const only = process.env.BENCH_ONLY?.split(',');
const VARIANTS = ALL_VARIANTS.filter(
  (v) => v === 'plain' || only === undefined || only.includes(v),
);
// BENCH_BASELINE_DIR=<another built checkout>: adds that build's lightweight server as a row,
// interleaved with the rest (an A/B of a change, immune to the drift between separate runs).
const BASELINE_DIR = process.env.BENCH_BASELINE_DIR;
const BASELINE_VARIANT = 'tracelink-lightweight, BENCH_BASELINE_DIR build';
if (BASELINE_DIR) VARIANTS.push(BASELINE_VARIANT);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const PIN = process.env.BENCH_PIN === '1';
// taskset execs node in place, so the child's pid is still the server's (for its CPU time).
if (PIN) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)];

function startServer(variant) {
  const baseline = variant === BASELINE_VARIANT;
  return startHttpServer(baseline ? 'tracelink-lightweight' : variant, {
    script: baseline ? resolve(BASELINE_DIR, 'bench/http-server-child.mjs') : SERVER_CHILD,
    // BENCH_PIN: the server on CPU 0 (this process moved itself to CPU 1 at start).
    launcher: PIN ? ['taskset', '-c', '0'] : [],
  });
}

// CPU seconds (user + system) a process has used so far, from /proc (Linux), or NaN. Gives
// the server's CPU per request, which the shared cores do not distort as much as req/s.
function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime; USER_HZ is 100
  } catch {
    return Number.NaN;
  }
}

async function measure(variant, seconds) {
  const server = await startServer(variant);
  try {
    const url = `http://127.0.0.1:${server.port}/orders?page=42`;
    const headers = TRACE_HEADERS;
    await autocannon({ url, headers, connections: CONNECTIONS, duration: 1 }); // warm-up
    const cpuBefore = cpuSecondsOf(server.child.pid);
    const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: seconds });
    const cpuUsed = cpuSecondsOf(server.child.pid) - cpuBefore;
    if (result.errors > 0 || result.non2xx > 0) {
      throw new Error(`${variant}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
    }
    const cpuPerRequest = (cpuUsed / result.requests.total) * 1e6;
    return { rps: result.requests.average, p99: result.latency.p99, cpuPerRequest };
  } finally {
    server.stop();
  }
}

const samples = new Map(VARIANTS.map((v) => [v, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < VARIANTS.length; i++) {
    const variant = VARIANTS[(i + round) % VARIANTS.length];
    const sample = await measure(variant, SECONDS);
    samples.get(variant).push(sample);
    process.stderr.write(
      `round ${round + 1}/${ROUNDS} ${variant}: ${sample.rps.toFixed(0)} req/s, ` +
        `${sample.cpuPerRequest.toFixed(1)} us server CPU/request\n`,
    );
  }
}

const base = samples.get('plain');
const rows = VARIANTS.map((variant) => {
  const xs = samples.get(variant);
  const ratios = xs.map((x, round) => x.rps / base[round].rps);
  return (
    `| ${variant} | ${median(xs.map((x) => x.rps)).toFixed(0)} | ` +
    `${median(xs.map((x) => x.p99)).toFixed(1)} | **${median(ratios).toFixed(3)}** | ` +
    `${quantile(ratios, 0.25).toFixed(3)}–${quantile(ratios, 0.75).toFixed(3)} | ` +
    `${median(xs.map((x) => x.cpuPerRequest)).toFixed(1)} |`
  );
});
console.log(
  [
    `### node:http server (${process.env.BENCH_HANDLER ?? 'trivial'} handler), ${CONNECTIONS} connections, ${SECONDS} s × ${ROUNDS} rounds, traceparent on every request${PIN ? ', server on CPU 0 and autocannon on CPU 1' : ''}`,
    '',
    '| variant | req/s (median) | p99 latency ms (median) | req/s vs plain | interquartile range of the ratio | server CPU µs/request (median) |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n'),
);
