/**
 * Friedman's test (Friedman 1937) of k treatments over N blocks, as Demšar (2006, §3.2.2)
 * uses to compare classifiers over data sets; with scipy.stats.friedmanchisquare's tie correction.
 *
 *   χ²_F = [12 / (N k (k+1)) · Σ_j R_j² − 3 N (k+1)] / (1 − Σ(t³ − t) / (N k (k² − 1)))
 *
 * with R_j the rank sum of treatment j and t the sizes of tied groups within blocks.
 */
import { chiSquareSf } from './distributions.js';
import { rankDescending, tieGroupSizes } from './ranks.js';

export interface FriedmanResult {
  readonly blocks: number;
  readonly treatments: number;
  readonly chiSquare: number;
  readonly p: number;
  /** Mean rank of each treatment (1 = best = highest value), in the input column order. */
  readonly averageRanks: number[];
}

/** `scores[block][treatment]`, higher = better. Needs ≥ 2 blocks and ≥ 2 treatments. */
export function friedmanTest(scores: readonly (readonly number[])[]): FriedmanResult {
  const n = scores.length;
  const k = scores[0]?.length ?? 0;
  if (n < 2 || k < 2) throw new RangeError(`friedmanTest: need ≥ 2 blocks and ≥ 2 treatments, got ${n} × ${k}`);
  const rankSums = new Array<number>(k).fill(0);
  let tieTerm = 0;
  for (const row of scores) {
    if (row.length !== k) throw new RangeError(`friedmanTest: every block needs ${k} scores, got ${row.length}`);
    rankDescending(row).forEach((r, j) => (rankSums[j] += r));
    for (const t of tieGroupSizes(row)) tieTerm += t ** 3 - t;
  }
  const sumSq = rankSums.reduce((acc, r) => acc + r * r, 0);
  const correction = 1 - tieTerm / (n * k * (k * k - 1));
  const raw = (12 / (n * k * (k + 1))) * sumSq - 3 * n * (k + 1);
  // Every block entirely tied: no evidence of any difference.
  const chiSquare = correction <= 0 ? 0 : raw / correction;
  return {
    blocks: n,
    treatments: k,
    chiSquare,
    p: chiSquare <= 0 ? 1 : chiSquareSf(chiSquare, k - 1),
    averageRanks: rankSums.map((r) => r / n),
  };
}

/**
 * Nemenyi's critical difference of average ranks at α = 0.05 (Demšar 2006, §3.2.2 and Table 5a):
 * CD = q_α · √(k (k+1) / (6 N)). q_α is the Studentized range statistic divided by √2.
 */
export const NEMENYI_Q05: Readonly<Record<number, number>> = {
  2: 1.96, 3: 2.343, 4: 2.569, 5: 2.728, 6: 2.85, 7: 2.949, 8: 3.031, 9: 3.102, 10: 3.164,
};

/** Null beyond the tabulated 2 ≤ k ≤ 10. */
export function nemenyiCriticalDifference(k: number, blocks: number): number | null {
  const q = NEMENYI_Q05[k];
  return q === undefined ? null : q * Math.sqrt((k * (k + 1)) / (6 * blocks));
}
