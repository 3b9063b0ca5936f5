// Small helpers shared by the benchmark scripts.
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

export function summary(label: string, samples: number[]): string {
  return `${label.padEnd(58)} n=${String(samples.length).padStart(5)}  p50=${percentile(samples, 50).toFixed(2).padStart(8)} ms  p99=${percentile(samples, 99).toFixed(2).padStart(8)} ms`;
}

export async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await work();
  return [performance.now() - start, result];
}
