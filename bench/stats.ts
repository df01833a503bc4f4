/** Summaries of repeated measurements: every benchmark figure is a median with its spread. */

/** Several runs of one measurement. */
export interface Sample {
  /** The median. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** First and third quartile (linear interpolation between runs). */
  readonly q1: number;
  readonly q3: number;
  /** Every run, in the order measured. */
  readonly runs: readonly number[];
}

/** The median, quartiles and range of `runs` (at least one). */
export function summarize(runs: readonly number[]): Sample {
  if (runs.length === 0) throw new Error('no runs to summarize');
  const sorted = [...runs].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), min: sorted[0], max: sorted[sorted.length - 1], q1: quantile(sorted, 0.25), q3: quantile(sorted, 0.75), runs: [...runs] };
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

/**
 * The ratio of two medians, with the range of ratios the runs allow (worst over best and best over
 * worst), so a reader sees how far noise could move it.
 */
export interface Ratio {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/** `a` over `b`, median over median. */
export function ratio(a: Sample, b: Sample): Ratio {
  return { value: a.median / b.median, low: a.min / b.max, high: a.max / b.min };
}

/** `1234.5` ms as `1.23 s`, `12.3` as `12.3 ms`. */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;
}

/** A sample as `median (min-max)`, formatted by `format`. */
export function formatSample(s: Sample, format: (n: number) => string = formatMs): string {
  return s.runs.length === 1 ? `${format(s.median)} (1 run)` : `${format(s.median)} (${format(s.min)}-${format(s.max)})`;
}
