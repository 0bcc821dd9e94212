// The figures every benchmark reports from its samples, and the pool that
// keeps a number of operations in flight. One definition, so a p95 in one
// benchmark's results means what it means in another's.

/** The nearest-rank percentile (p from 0 to 100) of samples in any order. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error("percentile of no samples");
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Count, extremes, mean and the usual percentiles of samples, rounded to `digits` decimals. */
export function stats(samples: readonly number[], { digits = 2 }: { digits?: number } = {}) {
  if (samples.length === 0) throw new Error("stats of no samples");
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  const round = (v: number) => Number(v.toFixed(digits));
  return {
    n: s.length,
    min: round(s[0]),
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    max: round(s[s.length - 1]),
    mean: round(s.reduce((a, b) => a + b, 0) / s.length),
  };
}

/** Runs work(0) … work(total - 1) with at most `concurrency` in flight. */
export async function pool(total: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await work(next++);
    }),
  );
}
