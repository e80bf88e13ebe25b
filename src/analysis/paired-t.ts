/**
 * Paired (one-sample) Student t-test of differences, two-sided, as BADGE's penalty matrix uses
 * at each checkpoint (Ash et al. 2020, §6). Equal to scipy.stats.ttest_rel / ttest_1samp.
 */
import { mean, sampleStd, studentTCdf, studentTQuantile } from './stats.js';

export interface PairedTResult {
  readonly n: number;
  readonly meanDiff: number;
  /** t statistic; ±Infinity when every difference is equal and non-zero, 0 when all are zero. */
  readonly t: number;
  /** Two-sided p-value; null below 2 pairs. */
  readonly p: number | null;
  /** Half-width of the 95 % CI of the mean difference; null below 2 pairs. */
  readonly ci95: number | null;
}

export function pairedTTest(d: readonly number[]): PairedTResult {
  const n = d.length;
  if (n === 0) throw new RangeError('pairedTTest: no differences');
  const m = mean(d);
  const s = sampleStd(d);
  if (s === null) return { n, meanDiff: m, t: m === 0 ? 0 : Math.sign(m) * Infinity, p: null, ci95: null };
  const se = s / Math.sqrt(n);
  const ci95 = studentTQuantile(0.975, n - 1) * se;
  // Identical differences: no spread, so any non-zero mean is certain (scipy says p = 0 too).
  if (se === 0) return { n, meanDiff: m, t: m === 0 ? 0 : Math.sign(m) * Infinity, p: m === 0 ? 1 : 0, ci95 };
  const t = m / se;
  return { n, meanDiff: m, t, p: Math.min(1, 2 * (1 - studentTCdf(Math.abs(t), n - 1))), ci95 };
}
