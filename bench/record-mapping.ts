// Record mapping: the CPU per record of `mapPinoRecord`, the largest stage of the transport
// worker's work (./worker-stages.ts). Three shapes, each a pool of distinct records parsed
// from JSON as the worker gets them:
//   typical — the stages' line: level, time, pid, hostname, otel trace fields, two fields
//   error   — a pino-std-serializers `err` (type, message, stack, code) and a message
//   wide    — 20 attributes: strings, numbers, booleans, a nested object, an array
// Two rows per shape: the general path (any object: winston's `info`, a caller's record) and
// the `fromJson` path the pino transport takes (the record came from JSON.parse). Interleaved
// rounds (harness.ts); every row must map every record alike before any is timed.
//
//   npm run bench -- worker   (with ./worker-stages.ts)
//   env: BENCH_ROUNDS (31), BENCH_POOL (2000 records per shape and round),
//        BENCH_BASELINE=<another build's dist/cjs> — adds that build's mapper as a row per
//        shape, and the ratios are against it (A/B in one process); else against the general path
//
// No --expose-gc: mapping allocates, and a full GC forced before each timing shrinks the heap
// the next timing then grows again — a cost the worker, where GC runs on its own schedule,
// does not pay.
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type * as Mapping from '../transports/mapping/pino.js';
import { DIST, built, knob, runInterleaved } from './harness.js';

const ROUNDS = knob('BENCH_ROUNDS', 31);
const POOL = knob('BENCH_POOL', 2000);

function loadMapper(dist: string) {
  const { mapPinoRecord, resolvePinoMapping } = built<typeof Mapping>(
    'transports/mapping/pino.js',
    dist,
  );
  return { mapPinoRecord, mapping: resolvePinoMapping({}) };
}

const TRACE = { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '00f067aa0ba902b7' };
const STACK = [
  'Error: connect ECONNREFUSED 127.0.0.1:5432',
  '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
  '    at Pool.connect (/app/node_modules/pg-pool/index.js:45:11)',
  '    at Repo.find (/app/src/repo.js:12:20)',
].join('\n');

const SHAPES: Record<string, (i: number) => Record<string, unknown>> = {
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
    const record: Record<string, unknown> = {
      level: 30,
      time: 1700000000000 + i,
      pid: 123,
      hostname: 'h',
      ...TRACE,
    };
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
const pools = Object.entries(SHAPES).map(
  ([shape, make]) =>
    [
      shape,
      Array.from(
        { length: POOL },
        (_, i) => JSON.parse(JSON.stringify(make(i))) as Record<string, unknown>,
      ),
    ] as const,
);

const ours = loadMapper(DIST);
const builds: [name: string, mapper: ReturnType<typeof loadMapper>, fromJson: boolean][] = [
  ['tracelink', ours, false],
  ['tracelink fromJson', ours, true],
];
if (process.env.BENCH_BASELINE) {
  builds.push(['baseline', loadMapper(resolve(process.env.BENCH_BASELINE)), false]);
}

// Every row must map every record alike before any is timed.
const NOW = 1700000000000;
for (const [shape, pool] of pools) {
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
console.log(`${ROUNDS} interleaved rounds of ${POOL} records per shape and row.\n`);
// The ratio: against the BENCH_BASELINE build when there is one, else against the general path.
const baseline = process.env.BENCH_BASELINE ? 'baseline' : 'tracelink';
console.log(`| shape | build | µs/record (median) | speed vs ${baseline} (median ratio) |`);
console.log('|---|---|---:|---:|');
for (const [shape, pool] of pools) {
  const variants = builds.map(([name, { mapPinoRecord, mapping }, json]) => ({
    name,
    run: () => {
      for (let i = 0; i < pool.length; i++) {
        sink += mapPinoRecord(pool[i], mapping, undefined, json).timestamp;
      }
    },
  }));
  const results = await runInterleaved({
    baseline,
    variants,
    calls: pool.length,
    rounds: ROUNDS,
  });
  for (const r of results) {
    const us = (r.nsPerCall / 1000).toFixed(2);
    console.log(`| ${shape} | ${r.name} | ${us} | **${r.ratio.toFixed(2)}×** |`);
  }
}
if (sink === 0) console.log('');
