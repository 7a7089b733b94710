/** Small statistics and formatting shared by the bench's figures. */

/** The q-quantile of sorted samples (nearest rank); NaN when there are none. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** One line: count, mean, p50, p95 and max of latency samples in milliseconds. */
export function summary(name: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => quantile(sorted, q).toFixed(2);
  const mean = (samples.reduce((a, b) => a + b, 0) / samples.length).toFixed(2);
  console.log(`${name}: n=${samples.length} mean=${mean} ms p50=${at(0.5)} ms p95=${at(0.95)} ms max=${at(1)} ms`);
}

/** Megabytes, one decimal. */
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
