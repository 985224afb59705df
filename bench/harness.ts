// What the bench files share: where the checkout and its build are, interleaved rounds for
// in-process comparisons, and the statistics and markdown cells every table uses.
//
// Bench files do not run from here: bench/run.ts bundles each one into .cache/bench/ as plain
// JavaScript (packages and tracelink itself stay imports), so that a measured process carries
// no TypeScript loader. A file that starts another process or a pino transport worker names
// the bundled `.mjs` next to it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** A CommonJS module, typed by the caller (`load<typeof import('pino')>('pino')`). */
export const load = <T>(id: string): T => require(id) as T;

export const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** The checkout this file belongs to: bench/ or .cache/bench/ are below it. */
export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
/** This checkout's CommonJS build (`npm run build`), which the benches measure. */
export const DIST = join(ROOT, 'dist/cjs');

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && readJson<{ name?: string }>(file).name === 'tracelink') return dir;
    if (dirname(dir) === dir) throw new Error(`no tracelink checkout above ${from}`);
  }
}

/**
 * A module of a built tracelink: this checkout's by default, or another build's `dist/cjs`
 * (the `BENCH_BASELINE` A/B rows). Typed from the source, e.g.
 * `built<typeof import('../src/propagation/carriers')>('src/propagation/carriers.js')`.
 */
export const built = <T>(path: string, dist = DIST): T => require(resolve(dist, path)) as T;

/** An installed package's version (`dir`: a package whose own node_modules to look in). */
export function version(name: string, dir?: string): string {
  const base = dir === undefined ? ROOT : join(ROOT, 'node_modules', dir);
  return readJson<{ version: string }>(join(base, 'node_modules', name, 'package.json')).version;
}

/** A number from the environment (a bench's knob), or its default. */
export function knob(name: string, fallback: number): number {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : Number(value);
}

// ---- statistics and cells ------------------------------------------------------------------

const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

export function median(xs: readonly number[]): number {
  const s = sorted(xs);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const quantile = (xs: readonly number[], q: number): number =>
  sorted(xs)[Math.floor(xs.length * q)];

/** `1,234` (`digits` decimals), or `—` for a missing value. */
export function fmt(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined || Number.isNaN(x)
    ? '—'
    : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `median (min–max)`. */
export function spread(xs: readonly number[], digits = 0): string {
  if (xs.length === 0) return '—';
  return `${fmt(median(xs), digits)} (${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)})`;
}

// ---- interleaved rounds --------------------------------------------------------------------

export interface Variant {
  name: string;
  /** Makes `calls` calls of what this variant measures. */
  run: (calls: number) => void;
}

export interface VariantResult {
  name: string;
  nsPerCall: number;
  /** Median of the per-round throughput ratios to the baseline. */
  ratio: number;
  ratioQ1: number;
  ratioQ3: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
// winston's streams defer work to process.nextTick: a synchronous loop would leave it queued
// (never run, piling up for the GC). Each timing ends once the deferred work has run too.
const drain = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Every round runs every variant once, in a rotating order, so drift (thermal, GC, the other
 * core) lands on all variants alike. Reports the median ns/call over rounds, and the
 * throughput ratio to the baseline as the median of the per-round ratios: each round's pair
 * ran moments apart, which cancels most of a VM's jitter (medians of ns/call alone moved the
 * ratios by ±0.15 from one run to the next). A full GC precedes each timing when the process
 * runs with `--expose-gc`.
 */
export async function runInterleaved(spec: {
  baseline: string;
  variants: readonly Variant[];
  calls: number;
  rounds: number;
  warmupRounds?: number;
}): Promise<VariantResult[]> {
  const { variants, calls, rounds } = spec;
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const warmup = spec.warmupRounds ?? 3;
  for (let round = 0; round < warmup + rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length];
      gc();
      const start = process.hrtime.bigint();
      variant.run(calls);
      await drain();
      const elapsed = Number(process.hrtime.bigint() - start);
      if (round >= warmup) samples.get(variant.name)!.push(elapsed / calls);
    }
  }
  const base = samples.get(spec.baseline)!;
  return variants.map((v) => {
    const xs = samples.get(v.name)!;
    const ratios = xs.map((x, round) => base[round] / x);
    return {
      name: v.name,
      nsPerCall: median(xs),
      ratio: median(ratios),
      ratioQ1: quantile(ratios, 0.25),
      ratioQ3: quantile(ratios, 0.75),
    };
  });
}

/** Interleaved results as a markdown table; the first row is the baseline. */
export function toMarkdown(title: string, results: readonly VariantResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.nsPerCall.toFixed(0)} | **${r.ratio.toFixed(3)}** | ${r.ratioQ1.toFixed(3)}–${r.ratioQ3.toFixed(3)} |`,
  );
  return [
    `### ${title}`,
    '',
    '| variant | ns/call (median) | throughput vs the first row | interquartile range of the ratio |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}
