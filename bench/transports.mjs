// Transport benchmark (issue: OTLP transports). 100k records inside one active span, from a
// fresh child process per run (bench/transports-child.mjs), to a real OpenTelemetry Collector
// (bench/collector.mjs). Scenarios run interleaved: every round runs each once, in a rotating
// order. For each run:
//   - main-thread time per record: the logging loop alone (hrtime), / records
//   - main-thread CPU per record from the loop's start to exit (/proc/self/task/<pid>/stat),
//     which also counts the work a scenario defers to later on the main thread
//   - time from the first log call until the collector has written every record (or, when
//     records are lost, until its output stopped growing), read from the file exporter's
//     output as it grows: every 10 ms, count the records of the new bytes
//   - delivered: records with this run's service.name in the collector's output, and how many
//     of them carry the span's trace id
//   - peak RSS: VmHWM of the child (worker threads included)
//   - whether the child exited by itself (the bench kills it after CHILD_TIMEOUT_MS)
//
//   npm run bench:transports   (builds, then: node --expose-gc bench/transports.mjs)
//   env: BENCH_RUNS (7), BENCH_RECORDS (100000), BENCH_ONLY (comma-separated scenario ids),
//        BENCH_BASELINE_DIR (another built checkout: adds its tracelink rows — tl-pino,
//        tl-winston and their grpc variants — as `<id>-baseline`, interleaved with the rest: an
//        A/B of a change, immune to the drift between separate runs)
//
// Before anything is timed, a probe measures the collector's own floor: one record POSTed to
// it until it shows in the file (batch timeout 50 ms + file flush 100 ms).
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync, readSync, truncateSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { collectorBinary, collectorVersion, startCollector } from './collector.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** A run during which other processes used more CPU than this is run again. */
const OTHER_CPU_LIMIT_MS = 300;
const RUN_ATTEMPTS = 4;
/** Pause between runs, once the collector's output is quiet: lets the collector's GC settle. */
const PAUSE_MS = 1_000;
const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const CHILD = new URL('./transports-child.mjs', import.meta.url).pathname;
const POLL_MS = 10;
/** A child still running after this is killed (and counted as not exiting by itself). */
const CHILD_TIMEOUT_MS = 90_000;
/** Once the child is gone, output still short of RECORDS that stays unchanged this long is final. */
const QUIET_MS = 3_000;
// The file exporter writes one OTLP/JSON ExportLogsServiceRequest per line; every record of this
// workload has exactly one `"body":` (its attributes are `{ n }`). The count is checked against
// a full parse of the file after each run.
const MARKER = Buffer.from('"body":');

const SCENARIOS = [
  { id: 'plain-pino', name: 'plain pino → /dev/null (sync)', collector: false },
  { id: 'plain-pino-mixin', name: 'ref: pino + `pinoMixin()` → /dev/null', collector: false },
  { id: 'pot', name: 'pino + pino-opentelemetry-transport (defaults)', collector: true },
  {
    id: 'pot-queue100k',
    name: 'pino + pino-opentelemetry-transport (maxQueueSize 100k)',
    collector: true,
  },
  { id: 'tl-pino', name: 'pino + tracelink/pino-transport (defaults)', collector: true },
  // pino.transport({ sync: true }): pino's main thread waits while the shared buffer is full.
  {
    id: 'pot-queue100k-sync',
    name: 'pino + pino-opentelemetry-transport (maxQueueSize 100k), `sync: true`',
    collector: true,
  },
  {
    id: 'tl-pino-sync',
    name: 'pino + tracelink/pino-transport, `sync: true`',
    collector: true,
  },
  {
    id: 'tl-pino-mixin',
    name: 'pino + `pinoMixin()` + tracelink/pino-transport (defaults)',
    collector: true,
  },
  {
    id: 'otel-winston',
    name: 'winston + @opentelemetry/winston-transport (defaults)',
    collector: true,
  },
  {
    id: 'otel-winston-queue100k',
    name: 'winston + @opentelemetry/winston-transport (maxQueueSize 100k)',
    collector: true,
  },
  {
    id: 'tl-winston',
    name: 'winston + tracelink WinstonOtlpTransport (defaults)',
    collector: true,
  },
  // Over OTLP/gRPC (OTEL_EXPORTER_OTLP_LOGS_PROTOCOL=grpc, the collector's gRPC endpoint): the
  // same child scenarios; no anchor row, as the issue's anchors are OTLP/HTTP.
  {
    id: 'tl-pino-grpc',
    name: 'pino + tracelink/pino-transport, grpc',
    collector: true,
    childScenario: 'tl-pino',
    protocol: 'grpc',
  },
  {
    id: 'tl-winston-grpc',
    name: 'winston + tracelink WinstonOtlpTransport, grpc',
    collector: true,
    childScenario: 'tl-winston',
    protocol: 'grpc',
  },
  {
    id: 'ref-pino-zero-work',
    name: 'ref: tracelink pino transport with no per-record work (one constant encoded record)',
    collector: true,
  },
  {
    id: 'ref-pino-zero-work-sync',
    name: 'ref: the same with `sync: true`',
    collector: true,
  },
  {
    id: 'ref-winston-noop',
    name: 'ref: winston alone (`json()`, a no-op transport)',
    collector: false,
  },
  {
    id: 'ref-winston-json-line',
    name: 'ref: winston, a transport that only JSON.stringifies each record with its ids',
    collector: false,
  },
  {
    id: 'ref-floor',
    name: 'ref: pre-encoded OTLP/protobuf, 512 records a request, 2 in flight (the pipeline floor)',
    collector: true,
    ref: true, // made and encoded before the clock starts: only its delivery time means anything
  },
];

const BASELINE_DIR = process.env.BENCH_BASELINE_DIR;
if (BASELINE_DIR) {
  for (const id of ['tl-pino', 'tl-winston', 'tl-pino-grpc', 'tl-winston-grpc']) {
    const base = SCENARIOS.find((s) => s.id === id);
    SCENARIOS.push({
      ...base,
      id: `${id}-baseline`,
      name: `${base.name}, BENCH_BASELINE_DIR build`,
      child: resolvePath(BASELINE_DIR, 'bench/transports-child.mjs'),
      childScenario: base.childScenario ?? id,
    });
  }
}

const wallNow = () => performance.timeOrigin + performance.now();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Counts MARKER in the bytes appended to the collector's output since the last call. */
function outputCounter(file) {
  const fd = openSync(file, 'r');
  let offset = 0;
  let count = 0;
  let tail = Buffer.alloc(0); // a marker may straddle two reads
  return {
    get count() {
      return count;
    },
    get size() {
      return fstatSync(fd).size;
    },
    poll() {
      const size = fstatSync(fd).size;
      if (size <= offset) return count;
      const chunk = Buffer.allocUnsafe(size - offset);
      const read = readSync(fd, chunk, 0, chunk.length, offset);
      offset += read;
      const text = Buffer.concat([tail, chunk.subarray(0, read)]);
      for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + 1)) count++;
      tail = text.subarray(Math.max(0, text.length - MARKER.length + 1));
      return count;
    },
    /** Empties the file (the collector appends with O_APPEND) and starts counting afresh. */
    reset() {
      truncateSync(file, 0);
      offset = 0;
      count = 0;
      tail = Buffer.alloc(0);
    },
    close: () => closeSync(fd),
  };
}

/** Waits until the file has not grown for `quietMs` (bounded by `timeoutMs`). */
async function waitQuiet(counter, quietMs = 400, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let size = counter.size;
  let since = Date.now();
  while (Date.now() < deadline) {
    await delay(50);
    const now = counter.size;
    if (now !== size) ((size = now), (since = Date.now()));
    else if (Date.now() - since >= quietMs) return true;
  }
  return false;
}

/** Records per service.name, and those carrying `traceId`, from a full parse of the output. */
function parseOutput(file, serviceName, traceId) {
  let records = 0;
  let withTraceId = 0;
  let otherServices = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    for (const rl of JSON.parse(line).resourceLogs ?? []) {
      const svc = rl.resource?.attributes?.find((a) => a.key === 'service.name')?.value
        ?.stringValue;
      for (const sl of rl.scopeLogs ?? []) {
        const n = sl.logRecords?.length ?? 0;
        if (svc !== serviceName) {
          otherServices += n;
          continue;
        }
        records += n;
        for (const r of sl.logRecords ?? []) if (r.traceId === traceId) withTraceId++;
      }
    }
  }
  return { records, withTraceId, otherServices };
}

/**
 * CPU accounting for one run, in ms: the machine's busy and stolen time (/proc/stat), and what
 * of the busy time was not this bench's (the bench, its reaped children, the collector). Other
 * work on a 2-core VM moves every figure here, so each run records it.
 */
function cpuMarks(collectorPid) {
  const ticks = (line) => line.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = ticks(
    readFileSync('/proc/stat', 'utf8').split('\n')[0],
  );
  const own = (pid, withChildren) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat
        .slice(stat.lastIndexOf(')') + 2)
        .split(' ')
        .map(Number);
      return f[11] + f[12] + (withChildren ? f[13] + f[14] : 0);
    } catch {
      return 0;
    }
  };
  return {
    busy: ((user + nice + system + irq + softirq) * 1000) / 100, // CLK_TCK = 100
    steal: (steal * 1000) / 100,
    ours: ((own('self', true) + own(collectorPid, false)) * 1000) / 100,
  };
}

/**
 * Waits (at most IDLE_TIMEOUT_MS) until the machine has been quiet for 500 ms: under 10 % of
 * one core busy, the collector included. Returns the ms waited.
 */
const IDLE_TIMEOUT_MS = 120_000;
async function waitIdle(collectorPid) {
  const start = Date.now();
  while (Date.now() - start < IDLE_TIMEOUT_MS) {
    const before = cpuMarks(collectorPid).busy;
    await delay(500);
    if (cpuMarks(collectorPid).busy - before < 50) break;
  }
  return Date.now() - start;
}

function vmHwmKiB(pid) {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // gone
  }
}

/** The collector's floor: one record POSTed until it shows in the file. */
async function probeFloor(collector, counter) {
  const samples = [];
  for (let i = 0; i < 5; i++) {
    counter.reset();
    const body = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: `probe-${i}` } }] },
          scopeLogs: [{ scope: { name: 'probe' }, logRecords: [{ body: { stringValue: 'p' } }] }],
        },
      ],
    };
    const start = wallNow();
    const res = await fetch(collector.logsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    await res.text();
    const deadline = Date.now() + 5_000;
    while (counter.poll() < 1 && Date.now() < deadline) await delay(2);
    samples.push(wallNow() - start);
    await delay(150);
  }
  counter.reset();
  return samples;
}

async function runOnce(scenario, collector, counter, runIndex) {
  const serviceName = `bench-${scenario.id}-${runIndex}-${process.pid}`;
  if (scenario.collector) {
    await waitQuiet(counter);
    counter.reset();
  }
  await delay(PAUSE_MS);
  const env = {
    ...process.env,
    BENCH_RECORDS: String(RECORDS),
    BENCH_SERVICE: serviceName,
    OTEL_SERVICE_NAME: serviceName,
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT:
      scenario.protocol === 'grpc' ? collector.grpcEndpoint : collector.logsUrl,
    ...(scenario.protocol === undefined
      ? {}
      : { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: scenario.protocol }),
  };
  const child = spawn(
    process.execPath,
    [scenario.child ?? CHILD, scenario.childScenario ?? scenario.id],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const reports = {};
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-4000)));
  let exit;
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve((exit = { code, signal, at: wallNow() }))),
  );
  const marksBefore = cpuMarks(collector.pid);
  const spawnedAt = Date.now();
  let killed = false;
  let peakRssKiB = 0;
  let lastCount = 0;
  let lastGrowthAt;
  let allAt;
  let quietSince = Date.now();
  // Bounded: the child is killed after CHILD_TIMEOUT_MS, and after it exits we wait at most
  // QUIET_MS without growth.
  for (;;) {
    if (!exit) peakRssKiB = Math.max(peakRssKiB, vmHwmKiB(child.pid));
    if (scenario.collector) {
      const count = counter.poll();
      if (count > lastCount) {
        lastCount = count;
        lastGrowthAt = wallNow();
        quietSince = Date.now();
        if (count >= RECORDS && allAt === undefined) allAt = lastGrowthAt;
      }
    }
    if (!exit && Date.now() - spawnedAt > CHILD_TIMEOUT_MS) {
      killed = true;
      child.kill('SIGKILL');
      await exited;
    }
    if (exit) {
      if (!scenario.collector || allAt !== undefined) break;
      const since = Math.max(quietSince, spawnedAt);
      if (Date.now() - since >= QUIET_MS && Date.now() - exit.at >= QUIET_MS) break;
    }
    await delay(POLL_MS);
  }
  await exited;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('@bench ')) continue;
    const r = JSON.parse(line.slice(7));
    reports[r.phase] = r;
  }
  const marksAfter = cpuMarks(collector.pid);
  const loop = reports.loop ?? {};
  const atExit = reports.exit ?? {};
  let delivered = null;
  if (scenario.collector) {
    await waitQuiet(counter);
    counter.poll();
    delivered = parseOutput(collector.logsFile, serviceName, loop.traceId);
    if (delivered.records !== counter.count) {
      console.error(
        `  note: ${scenario.id} run ${runIndex}: marker count ${counter.count} ≠ parsed ${delivered.records}`,
      );
    }
  }
  const result = {
    id: scenario.id,
    run: runIndex,
    nsPerRecord: loop.loopNs !== undefined ? loop.loopNs / RECORDS : null,
    mainCpuNsPerRecord: atExit.mainCpuMs != null ? (atExit.mainCpuMs * 1e6) / RECORDS : null,
    processCpuNsPerRecord:
      atExit.processCpuMs != null ? (atExit.processCpuMs * 1e6) / RECORDS : null,
    allDeliveredMs: allAt !== undefined && loop.t0 ? allAt - loop.t0 : null,
    lastArrivalMs: lastGrowthAt !== undefined && loop.t0 ? lastGrowthAt - loop.t0 : null,
    exitMs: atExit.tExit && loop.t0 ? atExit.tExit - loop.t0 : null,
    delivered: delivered?.records ?? null,
    withTraceId: delivered?.withTraceId ?? null,
    strays: delivered?.otherServices ?? 0,
    peakRssMiB: Math.max(peakRssKiB, atExit.peakRssKiB ?? 0) / 1024,
    exitedByItself: !killed,
    exitCode: exit.code ?? exit.signal,
    otherCpuMs: Math.max(
      0,
      marksAfter.busy - marksBefore.busy - (marksAfter.ours - marksBefore.ours),
    ),
    stealMs: marksAfter.steal - marksBefore.steal,
    warnings: [reports.warn?.message, stderr.trim()].filter(Boolean).join(' | '),
  };
  return result;
}

// ---- report -----------------------------------------------------------------------------

const fmt = (x, digits = 0) =>
  x === null || x === undefined || Number.isNaN(x)
    ? '—'
    : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const valuesOf = (rs, key) => rs.map((r) => r[key]).filter((x) => x !== null && x !== undefined);
function cell(rs, key, digits = 0, scale = 1) {
  const xs = valuesOf(rs, key).map((x) => x * scale);
  if (xs.length === 0) return '—';
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return `${fmt(median(xs), digits)} (${fmt(lo, digits)}–${fmt(hi, digits)})`;
}
const medianOf = (rs, key) => {
  const xs = valuesOf(rs, key);
  return xs.length ? median(xs) : null;
};

function deliveredCell(rs) {
  if (!rs[0].id || valuesOf(rs, 'delivered').length === 0) return 'n/a';
  const xs = valuesOf(rs, 'delivered');
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const span = lo === hi ? fmt(lo) : `${fmt(lo)}–${fmt(hi)}`;
  return lo === RECORDS && hi === RECORDS ? `**all** (${fmt(RECORDS)})` : span;
}

function timeCell(rs) {
  // all delivered in every run: median (range) of that time; otherwise the time the output
  // stopped growing, marked as such.
  if (valuesOf(rs, 'delivered').length === 0) return 'n/a';
  if (rs.every((r) => r.allDeliveredMs !== null)) return cell(rs, 'allDeliveredMs');
  return `${cell(rs, 'lastArrivalMs')} ‡`;
}

function markdown(results, floor) {
  const by = new Map(SCENARIOS.map((s) => [s.id, results.filter((r) => r.id === s.id)]));
  // Main-thread cost against plain pino: the median of per-round ratios (each round's runs
  // ran moments apart), as bench/harness.mjs does.
  const plainByRound = new Map((by.get('plain-pino') ?? []).map((r) => [r.run, r.nsPerRecord]));
  const ratioCell = (rs) => {
    const xs = rs
      .filter((r) => plainByRound.get(r.run) && r.nsPerRecord !== null)
      .map((r) => r.nsPerRecord / plainByRound.get(r.run));
    if (xs.length === 0) return '—';
    const range = `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
    return `**${median(xs).toFixed(2)}×** (${range})`;
  };
  // Time to delivery against an anchor: the median of per-round ratios too. A run that lost
  // records counts with the time its output stopped growing.
  const deliveryMs = (r) => r.allDeliveredMs ?? r.lastArrivalMs;
  const anchorRatio = (rs, anchorId) => {
    const byRound = new Map((by.get(anchorId) ?? []).map((r) => [r.run, deliveryMs(r)]));
    const xs = rs
      .filter((r) => byRound.get(r.run) && deliveryMs(r) !== null)
      .map((r) => deliveryMs(r) / byRound.get(r.run));
    if (xs.length === 0) return null;
    return `**${median(xs).toFixed(2)}×** ${anchorId} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
  };
  const anchorOf = {
    'tl-pino': ['pot', 'pot-queue100k', 'tl-pino-baseline'],
    'tl-pino-mixin': ['pot', 'pot-queue100k'],
    'tl-pino-sync': ['pot-queue100k-sync', 'pot-queue100k'],
    'ref-pino-zero-work': ['pot-queue100k', 'tl-pino'],
    'ref-pino-zero-work-sync': ['pot-queue100k', 'tl-pino-sync'],
    'tl-winston': ['otel-winston-queue100k', 'otel-winston', 'tl-winston-baseline'],
    'tl-pino-baseline': ['pot-queue100k'],
    'tl-winston-baseline': ['otel-winston-queue100k'],
    'tl-pino-grpc': ['tl-pino-grpc-baseline'],
    'tl-winston-grpc': ['tl-winston-grpc-baseline'],
  };
  const rows = SCENARIOS.filter((s) => by.get(s.id)?.length).map((s) => {
    const rs = by.get(s.id);
    const anchors = (anchorOf[s.id] ?? [])
      .map((a) => anchorRatio(rs, a))
      .filter(Boolean)
      .join('<br>');
    const exitedCount = rs.filter((r) => r.exitedByItself && r.exitCode === 0).length;
    if (s.ref) {
      return `| ${s.name} | n/a | n/a | n/a | n/a | ${timeCell(rs)} | — | ${deliveredCell(rs)} | n/a | n/a | ${exitedCount}/${rs.length} |`;
    }
    return (
      `| ${s.name} | ${cell(rs, 'nsPerRecord', 2, 1e-3)} | ${ratioCell(rs)} | ` +
      `${cell(rs, 'mainCpuNsPerRecord', 2, 1e-3)} | ${cell(rs, 'processCpuNsPerRecord', 2, 1e-3)} | ` +
      `${timeCell(rs)} | ${anchors || '—'} | ${deliveredCell(rs)} | ` +
      `${s.collector ? `${cell(rs, 'withTraceId')}` : 'n/a'} | ${cell(rs, 'peakRssMiB')} | ` +
      `${exitedCount}/${rs.length} |`
    );
  });
  return [
    '| scenario | main thread, loop µs/record | × plain pino | main-thread CPU µs/record, loop → exit | process CPU µs/record, loop → exit | first call → all delivered, ms | × anchor | delivered of ' +
      `${fmt(RECORDS)} | with the span's trace id | peak RSS MiB | exited by itself (code 0) |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Median (min–max) of ${RUNS} runs each. ‡ not every record arrived in every run: the time until the collector's output stopped growing. ` +
      `Collector floor (one record POSTed until it shows in the file): median ${fmt(median(floor))} ms (${fmt(Math.min(...floor))}–${fmt(Math.max(...floor))}). ` +
      `CPU used by other processes during a counted run: median ${fmt(median(results.map((r) => r.otherCpuMs)))} ms, at most ${fmt(Math.max(...results.map((r) => r.otherCpuMs)))} ms. ` +
      `Runs repeated because other processes used over ${OTHER_CPU_LIMIT_MS} ms of CPU during them: ${results.reduce((n, r) => n + r.attempts - 1, 0)}` +
      `${results.some((r) => r.otherCpuMs > OTHER_CPU_LIMIT_MS) ? ` (still over after ${RUN_ATTEMPTS} attempts: ${results.filter((r) => r.otherCpuMs > OTHER_CPU_LIMIT_MS).length} runs, kept)` : ''}; ` +
      `time stolen by the hypervisor: median ${fmt(median(results.map((r) => r.stealMs)))} ms, at most ${fmt(Math.max(...results.map((r) => r.stealMs)))} ms.`,
  ].join('\n');
}

// ---- main ---------------------------------------------------------------------------------

const version = (name) =>
  JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url)))
    .version;
const versionIn = (dir, name) =>
  JSON.parse(
    readFileSync(
      new URL(`../node_modules/${dir}/node_modules/${name}/package.json`, import.meta.url),
    ),
  ).version;

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const chosen = SCENARIOS.filter((s) => !only || only.includes(s.id));
const binary = collectorBinary();
const started = Date.now();
const collector = await startCollector(binary);
const counter = outputCounter(collector.logsFile);
const results = [];
let floor = [];
try {
  floor = await probeFloor(collector, counter);
  for (let round = 0; round < RUNS; round++) {
    for (let i = 0; i < chosen.length; i++) {
      const scenario = chosen[(i + round) % chosen.length];
      // A run during which something else on the machine used the CPU is run again (at most
      // RUN_ATTEMPTS times in all); the last attempt counts.
      let r;
      for (let attempt = 1; attempt <= RUN_ATTEMPTS; attempt++) {
        await waitIdle(collector.pid);
        r = await runOnce(scenario, collector, counter, round);
        r.attempts = attempt;
        if (r.otherCpuMs <= OTHER_CPU_LIMIT_MS) break;
        console.error(
          `  round ${round + 1}/${RUNS} ${scenario.id}: ${fmt(r.otherCpuMs)} ms of other CPU, ` +
            (attempt < RUN_ATTEMPTS ? 'running it again' : 'kept'),
        );
      }
      results.push(r);
      console.error(
        `  round ${round + 1}/${RUNS} ${scenario.id}: ${fmt(r.nsPerRecord, 0)} ns/rec, ` +
          `all ${fmt(r.allDeliveredMs)} ms, last ${fmt(r.lastArrivalMs)} ms, exit ${fmt(r.exitMs)} ms, ` +
          `delivered ${r.delivered ?? 'n/a'} (trace id ${r.withTraceId ?? 'n/a'}), ` +
          `rss ${fmt(r.peakRssMiB)} MiB, exit ${r.exitCode}${r.exitedByItself ? '' : ' (killed)'}, ` +
          `other CPU ${fmt(r.otherCpuMs)} ms, steal ${fmt(r.stealMs)} ms` +
          (r.warnings ? `\n    ${r.warnings.replace(/\n/g, '\n    ')}` : ''),
      );
    }
  }
} finally {
  counter.close();
  await collector.stop();
}

const potSdk = (name) => {
  try {
    return versionIn('pino-opentelemetry-transport', name);
  } catch {
    return version(name);
  }
};
console.log(
  [
    `Node ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
      `${collectorVersion(binary)}`,
    `pino ${version('pino')}, winston ${version('winston')}, ` +
      `pino-opentelemetry-transport ${version('pino-opentelemetry-transport')} ` +
      `(its sdk-logs ${potSdk('@opentelemetry/sdk-logs')}, exporter-logs-otlp-proto ${potSdk('@opentelemetry/exporter-logs-otlp-proto')}), ` +
      `@opentelemetry/winston-transport ${version('@opentelemetry/winston-transport')} ` +
      `(sdk-logs ${version('@opentelemetry/sdk-logs')}, exporter-logs-otlp-proto ${version('@opentelemetry/exporter-logs-otlp-proto')}), ` +
      `tracelink ${JSON.parse(readFileSync(new URL('../package.json', import.meta.url))).version} ` +
      `(sdk-logs ${version('@opentelemetry/sdk-logs')}, exporter-logs-otlp-proto ${version('@opentelemetry/exporter-logs-otlp-proto')})`,
    `${RECORDS} records per run inside one active span, ${RUNS} runs per scenario, interleaved; total ${fmt((Date.now() - started) / 1000)} s`,
    '',
    markdown(results, floor),
    '',
  ].join('\n'),
);
console.log('<!-- raw runs');
for (const r of results) console.log(JSON.stringify(r));
console.log('-->');
