// Interleaved-rounds micro-benchmark: every round runs every variant once, in a rotating
// order, so drift (thermal, GC, the other core) lands on all variants alike. Reports the
// median ns/call over rounds, and the throughput ratio to the baseline as the median of the
// per-round ratios: each round's pair ran moments apart, which cancels most of this VM's
// jitter (medians of ns/call alone moved the ratios by ±0.15 from one run to the next).

const gc = globalThis.gc ?? (() => {});
// winston's streams defer work to process.nextTick: a synchronous loop would leave it queued
// (never run, piling up for the GC). Each timing ends once the deferred work has run too.
const drain = () => new Promise((resolve) => setImmediate(resolve));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)];

/**
 * @param {{ baseline: string, variants: { name: string, run: (calls: number) => void }[],
 *           calls: number, rounds: number, warmupRounds?: number }} spec
 */
export async function runInterleaved(spec) {
  const { variants, calls, rounds } = spec;
  const samples = new Map(variants.map((v) => [v.name, []]));
  const warmup = spec.warmupRounds ?? 3;
  for (let round = 0; round < warmup + rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length];
      gc();
      const start = process.hrtime.bigint();
      variant.run(calls);
      await drain();
      const elapsed = Number(process.hrtime.bigint() - start);
      if (round >= warmup) samples.get(variant.name).push(elapsed / calls);
    }
  }
  const base = samples.get(spec.baseline);
  return variants.map((v) => {
    const xs = samples.get(v.name);
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

/** Formats results as a markdown table. */
export function toMarkdown(title, results) {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.nsPerCall.toFixed(0)} | **${r.ratio.toFixed(3)}** | ${r.ratioQ1.toFixed(3)}–${r.ratioQ3.toFixed(3)} |`,
  );
  return [
    `### ${title}`,
    '',
    '| variant | ns/call (median) | throughput vs plain | interquartile range of the ratio |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}
