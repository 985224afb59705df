// Record mapping benchmark: the CPU per record of `mapPinoRecord`, the largest stage of the
// transport's worker (worker CPU per record, .cache/scratch/worker-profile.cjs before this
// work: JSON.parse ~2.0 µs, mapping ~4.0 µs, sdk-logs emit ~3 µs, serialization ~1–1.5 µs).
// Three shapes, each a pool of distinct records parsed from JSON as the worker gets them:
//   typical — the profile's line: level, time, pid, hostname, otel trace fields, two fields
//   error   — a pino-std-serializers `err` (type, message, stack, code) and a message
//   wide    — 20 attributes: strings, numbers, booleans, a nested object, an array
// Interleaved rounds (harness.mjs); reports the median µs per record.
//
//   npm run build && node bench/record-mapping.mjs
//   env: BENCH_ROUNDS (31), BENCH_POOL (2000 records per shape and round),
//        BENCH_BASELINE=<another build's dist/cjs> — adds that build's mapper as a baseline
//        row per shape (A/B in one process: the median of per-round speed ratios)
//
// No --expose-gc: mapping allocates, and a full GC forced before each timing shrinks the heap
// the next timing then grows again — a cost the worker, where GC runs on its own schedule,
// does not pay.
//
// Measured on this project's 2-core VM under load (Node 20; 3 runs, BENCH_BASELINE = the build
// before this change). µs/record swung 2× between runs with the load; the per-round ratios held:
//                               typical        error          wide
//   before (f14d474)            1.8–3.4 µs     2.7–4.9 µs     4.5–7.4 µs
//   general path, speed         1.17–1.30×     1.21–1.33×     1.05–1.11×
//   fromJson path, speed        1.63–1.90×     1.49–1.63×     1.34–1.42×
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { runInterleaved } from './harness.mjs';

const require = createRequire(import.meta.url);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 31);
const POOL = Number(process.env.BENCH_POOL ?? 2000);

function load(dir) {
  const { mapPinoRecord } = require(resolve(dir, 'transports/mapping/pino.js'));
  const { resolvePinoMapping } = require(resolve(dir, 'transports/mapping/pino.js'));
  return { mapPinoRecord, mapping: resolvePinoMapping({}) };
}

const TRACE = { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' };
const STACK = [
  'Error: connect ECONNREFUSED 127.0.0.1:5432',
  '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
  '    at Pool.connect (/app/node_modules/pg-pool/index.js:45:11)',
  '    at Repo.find (/app/src/repo.js:12:20)',
].join('\n');

const SHAPES = {
  typical: (i) => ({
    level: 30,
    time: 1700000000000 + i,
    pid: 123,
    hostname: 'h',
    ...TRACE,
    trace_flags: '01',
    i,
    user: { id: 42 },
    msg: `handled request number ${i}`,
  }),
  error: (i) => ({
    level: 50,
    time: 1700000000000 + i,
    pid: 123,
    hostname: 'h',
    ...TRACE,
    trace_flags: '01',
    err: {
      type: 'Error',
      message: 'connect ECONNREFUSED 127.0.0.1:5432',
      stack: STACK,
      code: 'ECONNREFUSED',
    },
    msg: `query ${i} failed`,
  }),
  wide: (i) => {
    const record = { level: 30, time: 1700000000000 + i, pid: 123, hostname: 'h', ...TRACE };
    for (let k = 0; k < 16; k++)
      record[`field${k}`] = k % 3 === 0 ? k : k % 3 === 1 ? `v${i}` : true;
    record.http = { method: 'GET', route: '/users/:id', status: 200 };
    record.tags = ['a', 'b', 'c'];
    record.duration = 12.5;
    record.ok = false;
    record.msg = `request ${i}`;
    return record;
  },
};

// Distinct objects, flat strings: what JSON.parse hands the mapper in the worker.
const pools = Object.fromEntries(
  Object.entries(SHAPES).map(([shape, make]) => [
    shape,
    Array.from({ length: POOL }, (_, i) => JSON.parse(JSON.stringify(make(i)))),
  ]),
);

// Two rows for this build: the general path (any object: winston's `info`, a caller's record)
// and the one the pino transport takes (`fromJson`: the record came from JSON.parse).
const ours = load(resolve(import.meta.dirname, '../dist/cjs'));
const builds = [
  ['tracelink', ours, false],
  ['tracelink fromJson', ours, true],
];
if (process.env.BENCH_BASELINE) builds.push(['baseline', load(process.env.BENCH_BASELINE), false]);

// Every row must map every record alike before any is timed.
const NOW = 1700000000000;
for (const [shape, pool] of Object.entries(pools)) {
  for (const record of pool) {
    const [first, ...rest] = builds.map(([, b, json]) =>
      b.mapPinoRecord(record, b.mapping, NOW, json),
    );
    if (!rest.every((other) => isDeepStrictEqual(first, other))) {
      throw new Error(`${shape}: the rows disagree`);
    }
  }
}

let sink = 0;
console.log(`| shape | build | µs/record (median) | speed vs baseline |`);
console.log(`|---|---|---:|---:|`);
for (const [shape, pool] of Object.entries(pools)) {
  const variants = builds.map(([name, { mapPinoRecord, mapping }, json]) => ({
    name,
    run: () => {
      for (let i = 0; i < pool.length; i++) {
        sink += mapPinoRecord(pool[i], mapping, undefined, json).timestamp;
      }
    },
  }));
  const results = await runInterleaved({
    baseline: builds.at(-1)[0],
    variants,
    calls: pool.length,
    rounds: ROUNDS,
  });
  for (const r of results) {
    const ratio = process.env.BENCH_BASELINE ? `${r.ratio.toFixed(2)}×` : '—';
    console.log(`| ${shape} | ${r.name} | ${(r.nsPerCall / 1000).toFixed(2)} | ${ratio} |`);
  }
}
if (sink === 0) console.log('');
