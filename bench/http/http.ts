// HTTP servers under load: each variant a node:http server in its own process (./server.ts),
// every request carrying a `traceparent` and `baggage`. Variants:
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
//
// Two measures of the same servers:
//   npm run bench -- http               requests per second under autocannon on 127.0.0.1,
//     rounds interleaved and rotated; the ratio is the median of per-round ratios to plain.
//     env: BENCH_ROUNDS (7), BENCH_SECONDS (5), BENCH_CONNECTIONS (32), BENCH_ONLY=a,b (plain
//     always runs), BENCH_BASELINE_DIR (another built checkout: its lightweight server as a
//     row), BENCH_PIN=1 (each server on CPU 0, autocannon on CPU 1, with `taskset`, so the two
//     never compete for a core), BENCH_HANDLER=api (a small JSON API handler instead of the
//     trivial one)
//   npm run bench -- http-instructions  user-space instructions per request, counted by
//     valgrind's callgrind: repeatable where req/s on a shared VM is not. Each variant serves
//     N1 and then, in a fresh process, N2 requests (autocannon, 8 connections); the difference
//     of the two totals over N2 − N1 leaves out start-up and exit. The kernel's share (the
//     socket writes) is not counted: it is the same for every variant at a given request rate.
//     Variants plain, context-only, ref-fields-only, tracelink-lightweight.
//     env: BENCH_ONLY, BENCH_ROUNDS (2), N1 (3000), N2 (13000), BENCH_HANDLER. About 90 s per
//     variant and round.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { knob, load, median, quantile } from '../harness.js';
import { TRACE_HEADERS } from './traced-request.js';

/** What is used of autocannon's API (it ships no types). */
type Autocannon = (options: {
  url: string;
  headers: Record<string, string>;
  connections: number;
  duration?: number;
  amount?: number;
  timeout?: number;
}) => Promise<{
  requests: { average: number; total: number };
  latency: { p99: number };
  errors: number;
  non2xx: number;
  '2xx': number;
}>;
const autocannon = load<Autocannon>('autocannon');
// Bench files run compiled (bench/run.ts): the server is ./server.ts, built next to this file.
const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));
const PATH = '/orders?page=42';
const HANDLER = process.env.BENCH_HANDLER ?? 'trivial';
const only = process.env.BENCH_ONLY?.split(',');

interface HttpServer {
  port: number;
  child: ChildProcess;
  stop(): void;
}

/**
 * Starts one server (./server.ts, or another build's) and resolves once it listens.
 * `launcher`: the command and arguments put before `node <script>` (`taskset -c 0`, valgrind).
 */
async function startHttpServer(
  variant: string,
  {
    script = SERVER,
    launcher = [],
    stderr = 'inherit',
  }: { script?: string; launcher?: string[]; stderr?: 'inherit' | 'pipe' } = {},
): Promise<HttpServer> {
  const [command, ...args] = [...launcher, process.execPath, script];
  const child = spawn(command, args, {
    env: { ...process.env, BENCH_VARIANT: variant },
    stdio: ['pipe', 'pipe', stderr],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const { port } = JSON.parse(String(line).split('\n')[0]) as { port: number };
  return { port, child, stop: () => child.stdin!.end() };
}

// ---- requests per second -------------------------------------------------------------------

const REQUEST_RATE_VARIANTS = [
  'plain',
  'context-only',
  'ref-busy-3us',
  'ref-fields-only',
  'tracelink-lightweight',
  'tracelink-sdk',
  'instrumentation-http',
];
const BASELINE_VARIANT = 'tracelink-lightweight, BENCH_BASELINE_DIR build';

/** A server's CPU seconds (user + system) so far, from /proc (Linux), or NaN. */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime; USER_HZ is 100
  } catch {
    return Number.NaN;
  }
}

async function requestRate(): Promise<void> {
  const variants = REQUEST_RATE_VARIANTS.filter(
    (v) => v === 'plain' || only === undefined || only.includes(v),
  );
  // Another built checkout: its lightweight server as a row, interleaved with the rest (an A/B
  // of a change, immune to the drift between separate runs).
  const baselineDir = process.env.BENCH_BASELINE_DIR;
  let baselineScript: string | undefined;
  if (baselineDir) {
    // A checkout with this runner has its server under .cache/bench (`npm run bench --
    // --build` there); older ones kept it as bench/http-server-child.mjs.
    const paths = ['.cache/bench/http/server.mjs', 'bench/http-server-child.mjs'];
    baselineScript = paths.map((p) => resolve(baselineDir, p)).find((p) => existsSync(p));
    if (!baselineScript) throw new Error(`BENCH_BASELINE_DIR: no ${paths.join(' or ')} there`);
    variants.push(BASELINE_VARIANT);
  }
  const rounds = knob('BENCH_ROUNDS', 7);
  const seconds = knob('BENCH_SECONDS', 5);
  const connections = knob('BENCH_CONNECTIONS', 32);
  const pin = process.env.BENCH_PIN === '1';
  // taskset execs node in place, so the child's pid is still the server's (for its CPU time).
  if (pin)
    execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

  async function measure(variant: string) {
    const server = await startHttpServer(
      variant === BASELINE_VARIANT ? 'tracelink-lightweight' : variant,
      {
        script: variant === BASELINE_VARIANT ? baselineScript : SERVER,
        launcher: pin ? ['taskset', '-c', '0'] : [],
      },
    );
    try {
      const url = `http://127.0.0.1:${server.port}${PATH}`;
      const headers = TRACE_HEADERS;
      await autocannon({ url, headers, connections, duration: 1 }); // warm-up
      const cpuBefore = cpuSecondsOf(server.child.pid);
      const result = await autocannon({ url, headers, connections, duration: seconds });
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

  const samples = new Map<string, Awaited<ReturnType<typeof measure>>[]>(
    variants.map((v) => [v, []]),
  );
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length];
      const sample = await measure(variant);
      samples.get(variant)!.push(sample);
      process.stderr.write(
        `  round ${round + 1}/${rounds} ${variant}: ${sample.rps.toFixed(0)} req/s, ` +
          `${sample.cpuPerRequest.toFixed(1)} µs server CPU/request\n`,
      );
    }
  }
  const base = samples.get('plain')!;
  const rows = variants.map((variant) => {
    const xs = samples.get(variant)!;
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
      `### node:http server (${HANDLER} handler), ${connections} connections, ${seconds} s × ${rounds} rounds${pin ? ', server on CPU 0 and autocannon on CPU 1' : ''}`,
      '',
      '| variant | req/s (median) | p99 latency ms (median) | req/s vs plain | interquartile range of the ratio | server CPU µs/request (median) |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows,
      '',
    ].join('\n'),
  );
}

// ---- instructions per request --------------------------------------------------------------

const INSTRUCTION_VARIANTS = ['plain', 'context-only', 'ref-fields-only', 'tracelink-lightweight'];

/** Total instructions of one server process that answered `amount` requests. */
async function countInstructions(variant: string, amount: number) {
  const server = await startHttpServer(variant, {
    launcher: ['valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null'],
    stderr: 'pipe',
  });
  let stderr = '';
  server.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}${PATH}`,
    headers: TRACE_HEADERS,
    connections: 8,
    amount,
    timeout: 60,
  });
  server.stop();
  await once(server.child, 'exit');
  const collected = /Collected : (\d+)/.exec(stderr);
  if (!collected) throw new Error(`no callgrind total for ${variant}:\n${stderr.slice(-2000)}`);
  return { instructions: Number(collected[1]), answered: result['2xx'] };
}

async function instructions(): Promise<void> {
  const variants = INSTRUCTION_VARIANTS.filter((v) => v === 'plain' || !only || only.includes(v));
  const rounds = knob('BENCH_ROUNDS', 2);
  const n1 = knob('N1', 3000);
  const n2 = knob('N2', 13000);
  const perRequest = new Map<string, number[]>(variants.map((v) => [v, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const variant of variants) {
      const small = await countInstructions(variant, n1);
      const large = await countInstructions(variant, n2);
      const value = (large.instructions - small.instructions) / (large.answered - small.answered);
      perRequest.get(variant)!.push(value);
      console.error(
        `  round ${round}/${rounds} ${variant}: ${Math.round(value)} instructions/request`,
      );
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const plain = mean(perRequest.get('plain')!);
  const count = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(
    `### Instructions per request (${HANDLER} handler, ${n2 - n1} requests counted a round)`,
  );
  console.log('');
  console.log('| variant | instructions/request (each round) | mean | vs plain |');
  console.log('|---|---:|---:|---:|');
  for (const [variant, values] of perRequest) {
    const m = mean(values);
    const delta =
      variant === 'plain'
        ? '—'
        : `${m >= plain ? '+' : ''}${(((m - plain) / plain) * 100).toFixed(1)}%`;
    console.log(`| ${variant} | ${values.map(count).join(', ')} | ${count(m)} | ${delta} |`);
  }
}

if (process.argv[2] === 'instructions') await instructions();
else await requestRate();
