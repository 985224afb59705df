// The benchmark runner: `npm run bench -- <suite> [--write-docs]`; with no suite it lists them.
//
// It builds the package when dist/ is older than the sources (`npm run build`), bundles the
// bench files into .cache/bench/ as plain JavaScript (esbuild; packages and tracelink stay
// imports, so the benches load the real packages and this checkout's build), then runs each
// part of the suite in a fresh `node` process and prints its markdown. The measured processes
// carry no TypeScript loader: tsx alone adds ~30 MiB of peak RSS and five threads to a process.
// `--write-docs` rewrites the suite's section of docs/benchmarks.md (between its markers) with
// the tables, the command, the date, the commit and the versions the figures depend on.
// `--build` alone builds and bundles (for a checkout used as another's BENCH_BASELINE_DIR).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import * as prettier from 'prettier';
import { ROOT, readJson, version } from './harness.js';

/** One process of a suite: a bench file (relative to bench/, no extension) and its flags. */
interface Part {
  file: string;
  args?: string[];
  /** `--expose-gc`: the in-process harness forces a full GC before each timing. */
  gc?: boolean;
}

interface Suite {
  about: string;
  parts: Part[];
  /** The knobs: environment variables (`NAME (default)` or `NAME=<what>`), comma-separated. */
  knobs: string;
  takes: string;
  /** Packages the figures depend on. */
  packages: string[];
  /** What is missing to run it, if anything. */
  missing?: () => string | undefined;
  /** Extra versions the suite depends on (tools). */
  tools?: () => string[];
}

const SUITES: Record<string, Suite> = {
  correlation: {
    about:
      'pinoMixin, pinoSpanLogger and the winston formats against plain pino/winston, ' +
      'instrumentation-pino/-winston and reference rows, in one process inside an active span',
    parts: [{ file: 'correlation', gc: true }],
    knobs:
      'BENCH_ROUNDS (61), BENCH_PINO_CALLS (10000), BENCH_WINSTON_CALLS (5000), BENCH_ONLY=pino|winston',
    takes: '~3 min',
    packages: [
      'pino',
      'winston',
      'logform',
      '@opentelemetry/api',
      '@opentelemetry/context-async-hooks',
      '@opentelemetry/sdk-trace-base',
      '@opentelemetry/instrumentation-pino',
      '@opentelemetry/instrumentation-winston',
    ],
  },
  'otel-logs': {
    about:
      "pino and winston through the app's own logs SDK (tracelink/otel-logs) against plain " +
      'pino/winston and instrumentation-pino/-winston log sending, one provider and processor',
    parts: [{ file: 'otel-logs', gc: true }],
    knobs:
      'BENCH_ROUNDS (41), BENCH_PINO_CALLS (10000), BENCH_WINSTON_CALLS (5000), ' +
      'BENCH_ONLY=pino|winston, BENCH_PROCESSOR=count|batch|queued',
    takes: '~3 min',
    packages: [
      'pino',
      'winston',
      '@opentelemetry/api-logs',
      '@opentelemetry/sdk-logs',
      '@opentelemetry/instrumentation-pino',
      '@opentelemetry/instrumentation-winston',
      '@opentelemetry/winston-transport',
    ],
  },
  transports: {
    about:
      'the OTLP transports against pino-opentelemetry-transport and @opentelemetry/winston-transport, ' +
      'plain pino/winston and floors: 100k records per run to a real OpenTelemetry Collector',
    parts: [{ file: 'transports/transports', gc: true }],
    knobs:
      'BENCH_RUNS (7), BENCH_RECORDS (100000), BENCH_ONLY=<scenario ids>, BENCH_BASELINE_DIR=<built checkout>',
    takes: '~6 min at the defaults (19 scenarios × 7 runs)',
    packages: [
      'pino',
      'winston',
      'pino-opentelemetry-transport',
      '@opentelemetry/winston-transport',
      '@opentelemetry/sdk-logs',
      '@opentelemetry/exporter-logs-otlp-proto',
      '@opentelemetry/otlp-grpc-exporter-base',
      '@opentelemetry/sdk-trace-base',
    ],
    missing: () =>
      existsSync(join(ROOT, 'test/integration/collector/build.sh'))
        ? undefined
        : 'test/integration/collector/build.sh (it builds the OpenTelemetry Collector)',
  },
  http: {
    about:
      'traced HTTP requests: extracting the context and a whole request in one process, then ' +
      'node:http servers under autocannon (plain, context only, floors, tracelink, instrumentation-http)',
    parts: [{ file: 'http/extraction' }, { file: 'http/request-path' }, { file: 'http/http' }],
    knobs:
      'BENCH_ROUNDS (31 in process, 7 for req/s), BENCH_CALLS (20000), BENCH_SECONDS (5), ' +
      'BENCH_CONNECTIONS (32), BENCH_ONLY=<server variants>, BENCH_PIN=1, BENCH_HANDLER=api, ' +
      'BENCH_BASELINE=<dist/cjs>, BENCH_BASELINE_DIR=<built checkout>',
    takes: '~7 min at the defaults',
    packages: [
      'autocannon',
      'pino',
      '@opentelemetry/api',
      '@opentelemetry/core',
      '@opentelemetry/context-async-hooks',
      '@opentelemetry/sdk-trace-base',
      '@opentelemetry/sdk-trace-node',
      '@opentelemetry/instrumentation-http',
    ],
  },
  'http-instructions': {
    about:
      "instructions per request of the http suite's servers, counted by valgrind's callgrind " +
      '(repeatable where req/s on a shared VM is not)',
    parts: [{ file: 'http/http', args: ['instructions'] }],
    knobs: 'BENCH_ROUNDS (2), N1 (3000), N2 (13000), BENCH_ONLY=<variants>, BENCH_HANDLER=api',
    takes: '~90 s per variant and round: ~12 min at the defaults',
    packages: ['autocannon', 'pino', '@opentelemetry/api', '@opentelemetry/context-async-hooks'],
    missing: () =>
      spawnSync('valgrind', ['--version']).status === 0
        ? undefined
        : 'valgrind (this suite counts instructions with its callgrind tool; e.g. apt-get install valgrind)',
    tools: () => [execFileSync('valgrind', ['--version'], { encoding: 'utf8' }).trim()],
  },
  intake: {
    about:
      "how a worker-thread transport takes pino's lines, apart from what it does with them: " +
      "pino-abstract-transport's `for await`, tracelink's consumeLines, and a bare Writable (the floor)",
    parts: [{ file: 'intake' }],
    knobs: 'BENCH_RUNS (7), BENCH_RECORDS (100000)',
    takes: '~1 min',
    packages: ['pino', 'pino-abstract-transport', 'thread-stream'],
  },
  serializer: {
    about:
      "OTLP/protobuf encoding of 512-record batches: otlp-transformer's ProtobufLogsSerializer " +
      "against tracelink's, outputs checked byte-identical first",
    parts: [{ file: 'serializer' }],
    knobs: 'BENCH_ROUNDS (41), BENCH_BATCHES (20)',
    takes: '~1 min',
    packages: ['@opentelemetry/otlp-transformer', '@opentelemetry/sdk-logs'],
  },
  worker: {
    about:
      "the transport worker's CPU per record: each stage (parse, map, sdk-logs emit, encode), " +
      'then the record mapping by record shape, general and fromJson paths',
    parts: [{ file: 'worker-stages' }, { file: 'record-mapping' }],
    knobs: 'BENCH_ROUNDS (31), BENCH_POOL (2000), BENCH_BASELINE=<another dist/cjs>',
    takes: '~1 min',
    packages: ['@opentelemetry/sdk-logs', '@opentelemetry/otlp-transformer'],
  },
  'trace-aware': {
    about:
      'trace-aware logging: pinoTraceBuffer / winstonTraceBuffer and pinoTraceSampling / ' +
      'winstonTraceSampling against the same logger without them, in one process',
    parts: [{ file: 'trace-aware', gc: true }],
    knobs: 'BENCH_ROUNDS (31), BENCH_UNITS (2000), BENCH_LINES (20000), BENCH_ONLY=pino|winston',
    takes: '~2 min',
    packages: ['pino', 'winston', '@opentelemetry/api', '@opentelemetry/context-async-hooks'],
  },
  'log-fields': {
    about:
      'withLogFields per request against a pino/winston child logger per request and the same ' +
      'logger without fields; markSpanOnError against the same mixin/format without it',
    parts: [{ file: 'log-fields', gc: true }],
    knobs:
      'BENCH_ROUNDS (41), BENCH_REQUESTS (2000), BENCH_LINES (5), BENCH_ONLY=pino|winston|errors',
    takes: '~2 min',
    packages: [
      'pino',
      'winston',
      '@opentelemetry/api',
      '@opentelemetry/context-async-hooks',
      '@opentelemetry/sdk-trace-base',
    ],
  },
};

/** Bench files that run in a process of their own but are no suite's part. */
const SPAWNED = [
  'transports/child',
  'transports/zero-work-target',
  'transports/discard-worker',
  'http/server',
  'intake-target',
];
const OUT = join(ROOT, '.cache/bench');
const DOCS = join(ROOT, 'docs/benchmarks.md');

function usage(): string {
  const indent = ' '.repeat(21);
  const lines = Object.entries(SUITES).map(([name, s]) =>
    [`  ${name.padEnd(18)} ${wrap(s.about, 80).join(`\n${indent}`)}`, `${indent}${s.takes}`]
      .concat(wrap(`env: ${s.knobs}`, 80).map((line) => indent + line))
      .join('\n'),
  );
  return [
    'npm run bench -- <suite> [--write-docs]',
    '',
    'Suites:',
    ...lines,
    '',
    "--write-docs  rewrite the suite's section of docs/benchmarks.md with this run's figures",
    '--build       only build dist/ (when stale) and bundle the bench files',
  ].join('\n');
}

/** `text` in lines of at most `width` characters (words are not split). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + word.length < width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** The newest modification time under `paths` (files or directories), in ms. */
function newest(paths: string[]): number {
  let latest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      const children = readdirSync(path).map((name) => join(path, name));
      latest = Math.max(latest, newest(children));
    } else latest = Math.max(latest, stat.mtimeMs);
  }
  return latest;
}

/** `npm run build` when dist/ is missing or older than what it is built from. */
function buildIfStale(): void {
  const stamp = join(ROOT, 'dist/cjs/package.json'); // the build's last step writes it
  const sources = ['src', 'transports', 'package.json', 'tsconfig.build.json', 'tsconfig.cjs.json'];
  if (existsSync(stamp) && newest(sources.map((p) => join(ROOT, p))) <= statSync(stamp).mtimeMs) {
    return;
  }
  console.error('dist/ is older than the sources: npm run build');
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) throw new Error('npm run build failed');
}

/** Bundles every bench entry into .cache/bench/<same path>.mjs. */
async function bundle(): Promise<void> {
  const entries = [...Object.values(SUITES).flatMap((s) => s.parts.map((p) => p.file)), ...SPAWNED];
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: [...new Set(entries)].map((file) => join(ROOT, 'bench', `${file}.ts`)),
    outdir: OUT,
    outbase: join(ROOT, 'bench'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Packages load from node_modules as users load them; tracelink through its package
    // exports (this checkout's dist/), not through tsconfig's paths to the sources.
    packages: 'external',
    external: ['tracelink', 'tracelink/*'],
    logLevel: 'warning',
  });
}

/** Runs one part in a fresh process; resolves with its stdout (also printed as it comes). */
async function runPart(part: Part): Promise<string> {
  const args = [
    ...(part.gc ? ['--expose-gc'] : []),
    join(OUT, `${part.file}.mjs`),
    ...(part.args ?? []),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    process.stdout.write(chunk);
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  if (code !== 0)
    throw new Error(`bench/${part.file}.ts ended with ${signal ?? `exit code ${code}`}`);
  return out;
}

/** What the figures were taken with: command, date, commit, machine, versions. */
function provenance(name: string, suite: Suite): string {
  // The suite's knobs set for this run, as the command to run it again.
  const names = new Set(suite.knobs.split(', ').map((knob) => /^[A-Z0-9_]+/.exec(knob)?.[0]));
  const knobs = Object.entries(process.env)
    .filter(([key]) => names.has(key))
    .map(([key, value]) => `${key}=${value} `)
    .join('');
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const commit = git('rev-parse', '--short', 'HEAD') || 'unknown';
  const changed = git('status', '--porcelain', '--', 'src', 'transports', 'bench') !== '';
  const versions = suite.packages.map((p) => `${p} ${version(p)}`);
  const cpu = cpus();
  return [
    `Command: \`${knobs}npm run bench -- ${name}\` · ${new Date().toISOString().slice(0, 10)} · ` +
      `commit ${commit}${changed ? ' with uncommitted changes' : ''} · ` +
      `Node ${process.version} · ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}`,
    '',
    `Versions: tracelink ${readJson<{ version: string }>(join(ROOT, 'package.json')).version}, ` +
      `${[...versions, ...(suite.tools?.() ?? [])].join(', ')}.`,
    '',
  ].join('\n');
}

/** Replaces the suite's section of docs/benchmarks.md, between its two markers. */
async function writeDocs(name: string, body: string): Promise<void> {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const text = existsSync(DOCS) ? readFileSync(DOCS, 'utf8') : '';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to < from) throw new Error(`${DOCS} has no ${start} … ${end} section`);
  const updated = `${text.slice(0, from + start.length)}\n\n${body.trim()}\n\n${text.slice(to)}`;
  const options = await prettier.resolveConfig(DOCS);
  writeFileSync(DOCS, await prettier.format(updated, { ...options, filepath: DOCS }));
  console.error(`wrote the ${name} section of ${DOCS}`);
}

/** Returns the exit code. (No top-level await: tsx runs this file as CommonJS.) */
async function main(args: string[]): Promise<number> {
  const names = args.filter((a) => !a.startsWith('--'));
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const unknownFlag = [...flags].find((f) => f !== '--write-docs' && f !== '--build');
  const name = names[0];
  if (unknownFlag !== undefined || names.length > 1 || (name !== undefined && !(name in SUITES))) {
    console.error(`${unknownFlag ?? name} is not a suite or option.\n\n${usage()}`);
    return 2;
  }
  if (name === undefined) {
    if (flags.has('--build')) {
      buildIfStale();
      await bundle();
    } else console.log(usage());
    return 0;
  }
  const suite = SUITES[name];
  const missing = suite.missing?.();
  if (missing !== undefined) {
    console.error(`The ${name} suite needs ${missing}, which is missing here: not run.`);
    return 3;
  }
  buildIfStale();
  await bundle();
  const header = provenance(name, suite);
  console.log(header);
  const outputs: string[] = [];
  for (const part of suite.parts) outputs.push(await runPart(part));
  if (flags.has('--write-docs')) await writeDocs(name, [header, ...outputs].join('\n'));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
