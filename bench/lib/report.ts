/**
 * Shared by the benchmark scripts: medians, peak-RSS sampling, and `record()`, which appends result
 * rows as JSON lines to $FACTDESK_BENCH_OUT when `npm run bench` (bench/all.ts) collects them into one
 * table. Run on their own, the scripts print their own tables and record nothing.
 */
import { appendFileSync } from 'node:fs';

export interface BenchRow {
  bench: string;
  measure: string;
  /** Display value, median where repeated ("156 articles/s"). */
  value: string;
  goal?: string;
  /** Whether the goal is met; undefined when there is no goal. */
  ok?: boolean;
  /** The npm peer compared against, with its figure and the ratio (ours / theirs, or as stated). */
  peer?: string;
  ratio?: string;
  peakRssMb?: number;
}

export function record(...rows: BenchRow[]): void {
  const out = process.env.FACTDESK_BENCH_OUT;
  if (out) appendFileSync(out, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Samples this process's RSS every 50 ms; `stop()` returns the peak in MB. */
export function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  t.unref();
  return {
    stop() {
      clearInterval(t);
      return Math.max(peak, process.memoryUsage().rss) / 1024 / 1024;
    },
  };
}
