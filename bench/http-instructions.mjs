// User-space instructions per request of the HTTP bench's servers (bench/http-server-child.mjs),
// counted by valgrind's callgrind: repeatable where req/s on this VM is not (its ratios swing by
// ±0.1 between runs). Each variant serves N1 and then, in a fresh process, N2 requests (autocannon,
// 8 connections, every request with a `traceparent` and `baggage`); the difference of the two
// totals over N2 − N1 leaves out start-up and exit. The kernel's share (the socket writes) is not
// counted: it is the same for every variant at a given request rate.
//
// Run: npm run build && node bench/http-instructions.mjs   (needs valgrind)
//   BENCH_ONLY=a,b  variants (plain always runs); BENCH_ROUNDS (default 2); N1, N2 (3000, 13000);
//   BENCH_HANDLER=api as in bench/http-propagation.mjs. About 90 s per variant and round.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { startHttpServer } from './http-server-process.mjs';
import { TRACE_HEADERS } from './traced-request.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const ALL_VARIANTS = ['plain', 'context-only', 'ref-fields-only', 'tracelink-lightweight'];
const only = process.env.BENCH_ONLY?.split(',');
const VARIANTS = ALL_VARIANTS.filter((v) => v === 'plain' || !only || only.includes(v));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const N1 = Number(process.env.N1 ?? 3000);
const N2 = Number(process.env.N2 ?? 13000);

/** Total instructions of one server process that answered `amount` requests. */
async function countInstructions(variant, amount) {
  const server = await startHttpServer(variant, {
    launcher: ['valgrind', '--tool=callgrind', '--callgrind-out-file=/dev/null'],
    stderr: 'pipe',
  });
  let stderr = '';
  server.child.stderr.on('data', (chunk) => (stderr += chunk));
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/orders?page=42`,
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

const perRequest = new Map(VARIANTS.map((v) => [v, []]));
for (let round = 1; round <= ROUNDS; round++) {
  for (const variant of VARIANTS) {
    const small = await countInstructions(variant, N1);
    const large = await countInstructions(variant, N2);
    const value = (large.instructions - small.instructions) / (large.answered - small.answered);
    perRequest.get(variant).push(value);
    console.error(`round ${round}/${ROUNDS} ${variant}: ${Math.round(value)} instructions/request`);
  }
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const plain = mean(perRequest.get('plain'));
console.log(
  `### Instructions per request (${process.version}, handler ${process.env.BENCH_HANDLER ?? 'trivial'})`,
);
console.log('');
console.log('| variant | instructions/request (each round) | mean | vs plain |');
console.log('|---|---:|---:|---:|');
for (const [variant, values] of perRequest) {
  const rounds = values.map((v) => Math.round(v).toLocaleString('en-US')).join(', ');
  const m = mean(values);
  const delta = variant === 'plain' ? '—' : `+${(((m - plain) / plain) * 100).toFixed(1)}%`;
  console.log(`| ${variant} | ${rounds} | ${Math.round(m).toLocaleString('en-US')} | ${delta} |`);
}
