// Interleaved-rounds micro-benchmark: every round runs every variant once, in a rotating
// order, so drift (thermal, GC, the other core) lands on all variants alike. Reports the
// median ns/call over rounds and each variant's throughput ratio to the baseline.

/** @typedef {{ name: string, run: (calls: number) => void, setUp?: () => void, tearDown?: () => void }} Variant */

const gc = globalThis.gc ?? (() => {});

/**
 * @param {{ title: string, baseline: string, variants: Variant[], calls: number, rounds: number, warmupRounds?: number }} spec
 */
export function runInterleaved(spec) {
  const { variants, calls, rounds } = spec;
  const samples = new Map(variants.map((v) => [v.name, []]));
  const warmup = spec.warmupRounds ?? 3;
  for (let round = 0; round < warmup + rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(i + round) % variants.length];
      variant.setUp?.();
      gc();
      const start = process.hrtime.bigint();
      variant.run(calls);
      const elapsed = Number(process.hrtime.bigint() - start);
      variant.tearDown?.();
      if (round >= warmup) samples.get(variant.name).push(elapsed / calls);
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  };
  const base = median(samples.get(spec.baseline));
  return variants.map((v) => {
    const xs = samples.get(v.name);
    const ns = median(xs);
    return {
      name: v.name,
      nsPerCall: ns,
      ratio: base / ns,
      min: Math.min(...xs),
      max: Math.max(...xs),
    };
  });
}

/** Formats results as a markdown table. */
export function toMarkdown(title, results) {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.nsPerCall.toFixed(0)} | ${r.min.toFixed(0)}–${r.max.toFixed(0)} | ${r.ratio.toFixed(3)} |`,
  );
  return [
    `### ${title}`,
    '',
    '| variant | ns/call (median) | range | throughput vs plain |',
    '|---|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
}
