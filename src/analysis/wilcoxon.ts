/**
 * Wilcoxon signed-rank test for paired samples (Wilcoxon 1945), two-sided, with its effect sizes:
 * the matched-pairs rank-biserial correlation (Kerby 2014) and the Hodges–Lehmann estimate of the
 * median difference with its distribution-free interval (Hodges & Lehmann 1963; Bauer 1972).
 *
 * Rule for zeros and ties, chosen because seeds are few and differences of accuracies are
 * multiples of 1/n_test, so both are common:
 * - Zero differences are dropped (Wilcoxon's own rule, scipy's default `zero_method='wilcox'`): a
 *   zero carries no sign, and the test is then the sign-flip permutation test of the non-zero
 *   differences. (Pratt's rule would rank the zeros and drop their ranks; it changes the null
 *   distribution and can make p non-monotone in the data, Conover 1973.)
 * - Tied |d| get midranks, and the p-value stays exact: it is the exact null distribution of W+
 *   given those midranks, every one of the 2^n sign patterns equally likely, counted by a
 *   subset-sum recursion over the doubled (integer) ranks. A tie never sends the test to the
 *   normal approximation; only n > 50 non-zero differences do (tie-corrected variance, no
 *   continuity correction).
 * - |d| are compared after rounding to 12 significant digits, so differences that are equal on
 *   paper but not in the last bit of the float subtraction (0.7 − 0.6 vs 0.8 − 0.7) are tied.
 *
 * With seeds as pairs, n is small: the smallest two-sided p reachable is 2/2^n, i.e. 0.25 for
 * 3 seeds, 0.0625 for 5, 0.03125 for 6. Fewer than 6 seeds can never reach p < 0.05.
 */
import { normalCdf } from './distributions.js';
import { rankAscending, tieGroupSizes } from './ranks.js';

/** Largest n for which the exact null distribution is counted (2^50 still fits a double exactly). */
export const WILCOXON_EXACT_MAX_N = 50;

export interface WilcoxonResult {
  /** Non-zero differences used. */
  readonly n: number;
  /** Zero differences dropped. */
  readonly zeros: number;
  /** Sum of the ranks of the positive differences. */
  readonly wPlus: number;
  /** Sum of the ranks of the negative differences. */
  readonly wMinus: number;
  /** Two-sided p-value; 1 when every difference is zero. */
  readonly p: number;
  readonly method: 'exact' | 'normal';
  /** Matched-pairs rank-biserial correlation (W+ − W−)/(W+ + W−) in [−1, 1]; 0 when n = 0. */
  readonly rankBiserial: number;
}

/** Number of subsets of {1..n} with each sum s = 0 … n(n+1)/2 (the null distribution of W+ × 2^n). */
export function signedRankCounts(n: number): number[] {
  return subsetSumCounts(Array.from({ length: n }, (_, i) => i + 1));
}

/** Number of sign patterns giving each sum s of the positive integer `weights` (subset-sum DP). */
function subsetSumCounts(weights: readonly number[]): number[] {
  const max = weights.reduce((a, b) => a + b, 0);
  const counts = new Array<number>(max + 1).fill(0);
  counts[0] = 1;
  for (const w of weights) {
    for (let s = max; s >= w; s--) counts[s] += counts[s - w];
  }
  return counts;
}

/** |d| as compared for ties: 12 significant digits. */
function tieKey(x: number): number {
  return Number(Math.abs(x).toPrecision(12));
}

/** Two-sided Wilcoxon signed-rank test of the differences `d` (e.g. strategy − random per seed). */
export function wilcoxonSignedRank(d: readonly number[]): WilcoxonResult {
  const nonZero = d.filter((x) => tieKey(x) !== 0);
  const n = nonZero.length;
  const zeros = d.length - n;
  if (n === 0) return { n: 0, zeros, wPlus: 0, wMinus: 0, p: 1, method: 'exact', rankBiserial: 0 };
  const abs = nonZero.map(tieKey);
  const ranks = rankAscending(abs);
  let wPlus = 0;
  for (let i = 0; i < n; i++) if (nonZero[i] > 0) wPlus += ranks[i];
  const total = (n * (n + 1)) / 2;
  const wMinus = total - wPlus;
  const rankBiserial = (wPlus - wMinus) / total;

  if (n <= WILCOXON_EXACT_MAX_N) {
    // Midranks are multiples of ½: doubled they are integers, and so is 2·W+.
    const counts = subsetSumCounts(ranks.map((r) => Math.round(2 * r)));
    const w2 = Math.round(2 * wPlus);
    const patterns = 2 ** n;
    let below = 0; // #patterns with W+ ≤ observed
    for (let s = 0; s <= w2; s++) below += counts[s];
    let above = 0; // #patterns with W+ ≥ observed
    for (let s = w2; s < counts.length; s++) above += counts[s];
    const p = Math.min(1, (2 * Math.min(below, above)) / patterns);
    return { n, zeros, wPlus, wMinus, p, method: 'exact', rankBiserial };
  }
  const ties = tieGroupSizes(abs);
  const meanW = total / 2;
  const varW = (n * (n + 1) * (2 * n + 1)) / 24 - ties.reduce((acc, t) => acc + t ** 3 - t, 0) / 48;
  const z = (wPlus - meanW) / Math.sqrt(varW);
  return { n, zeros, wPlus, wMinus, p: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))), method: 'normal', rankBiserial };
}

export interface HodgesLehmann {
  /** Median of the n(n+1)/2 Walsh averages (d_i + d_j)/2, i ≤ j. */
  readonly estimate: number;
  /** Interval bounds; null when n is too small to reach the asked confidence. */
  readonly low: number | null;
  readonly high: number | null;
  /** Confidence the interval actually has (≥ the asked one); null with the bounds. */
  readonly confidence: number | null;
}

/**
 * Hodges–Lehmann estimate of the median paired difference, and its interval from the order
 * statistics of the Walsh averages: [A_(k), A_(M+1−k)] with the largest k for which
 * P(W+ < k) ≤ (1 − confidence)/2 under the untied null (Bauer 1972; R's `wilcox.test(conf.int =
 * TRUE)`). Every difference is used, zeros included, as the estimator needs. Below 6 pairs no
 * 95 % interval exists (P(W+ = 0) = 1/2^n > 0.025), and the bounds are null rather than a
 * smaller interval passed off as 95 %.
 */
export function hodgesLehmann(d: readonly number[], confidence = 0.95): HodgesLehmann {
  const n = d.length;
  if (n === 0) throw new RangeError('hodgesLehmann: no differences');
  const walsh: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh.push((d[i] + d[j]) / 2);
  walsh.sort((a, b) => a - b);
  const m = walsh.length;
  const estimate = m % 2 === 1 ? walsh[(m - 1) / 2] : (walsh[m / 2 - 1] + walsh[m / 2]) / 2;
  if (n > WILCOXON_EXACT_MAX_N) return { estimate, low: null, high: null, confidence: null };
  const counts = signedRankCounts(n);
  const patterns = 2 ** n;
  const tail = (1 - confidence) / 2;
  // k = number of W+ values strictly below the cut: P(W+ ≤ k − 1) ≤ tail.
  let k = 0;
  let cumulative = 0;
  while (k < counts.length && (cumulative + counts[k]) / patterns <= tail) cumulative += counts[k++];
  if (k === 0) return { estimate, low: null, high: null, confidence: null };
  return { estimate, low: walsh[k - 1], high: walsh[m - k], confidence: 1 - (2 * cumulative) / patterns };
}
