/**
 * Wilcoxon signed-rank test for paired samples (Wilcoxon 1945), two-sided.
 *
 * Conventions follow scipy.stats.wilcoxon's defaults so numbers can be checked against it:
 * zero differences are dropped ('wilcox'); with no ties and n ≤ 50 the p-value comes from the
 * exact null distribution of W+ (every sign pattern equally likely, 2^n of them, counted by a
 * subset-sum recursion); otherwise from the normal approximation with the tie-corrected
 * variance and no continuity correction.
 *
 * With seeds as pairs, n is small: the smallest two-sided p reachable is 2/2^n, i.e. 0.25 for
 * 3 seeds, 0.0625 for 5, 0.03125 for 6. Fewer than 6 seeds can never reach p < 0.05.
 */
import { normalCdf } from './distributions.js';
import { rankAscending, tieGroupSizes } from './ranks.js';

export interface WilcoxonResult {
  /** Non-zero differences used. */
  readonly n: number;
  /** Sum of the ranks of the positive differences. */
  readonly wPlus: number;
  /** Two-sided p-value; 1 when every difference is zero. */
  readonly p: number;
  readonly method: 'exact' | 'normal';
}

/** Number of subsets of {1..n} with each sum s = 0 … n(n+1)/2 (the null distribution of W+ × 2^n). */
export function signedRankCounts(n: number): number[] {
  const max = (n * (n + 1)) / 2;
  const counts = new Array<number>(max + 1).fill(0);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    for (let s = max; s >= k; s--) counts[s] += counts[s - k];
  }
  return counts;
}

/** Two-sided Wilcoxon signed-rank test of the differences `d` (e.g. strategy − random per seed). */
export function wilcoxonSignedRank(d: readonly number[]): WilcoxonResult {
  const nonZero = d.filter((x) => x !== 0);
  const n = nonZero.length;
  if (n === 0) return { n: 0, wPlus: 0, p: 1, method: 'exact' };
  const abs = nonZero.map(Math.abs);
  const ranks = rankAscending(abs);
  let wPlus = 0;
  for (let i = 0; i < n; i++) if (nonZero[i] > 0) wPlus += ranks[i];
  const ties = tieGroupSizes(abs);

  if (ties.length === 0 && n <= 50) {
    const counts = signedRankCounts(n);
    const total = 2 ** n;
    let below = 0; // P(W+ ≤ wPlus)
    for (let s = 0; s <= wPlus; s++) below += counts[s];
    let above = 0; // P(W+ ≥ wPlus)
    for (let s = wPlus; s < counts.length; s++) above += counts[s];
    return { n, wPlus, p: Math.min(1, (2 * Math.min(below, above)) / total), method: 'exact' };
  }
  const meanW = (n * (n + 1)) / 4;
  const varW = (n * (n + 1) * (2 * n + 1)) / 24 - ties.reduce((acc, t) => acc + t ** 3 - t, 0) / 48;
  if (varW <= 0) return { n, wPlus, p: 1, method: 'normal' };
  const z = (wPlus - meanW) / Math.sqrt(varW);
  return { n, wPlus, p: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))), method: 'normal' };
}
