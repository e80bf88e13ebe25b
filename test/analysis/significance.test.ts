import { describe, expect, it } from 'vitest';
import { chiSquareSf, normalCdf } from '../../src/analysis/distributions.js';
import { friedmanTest, nemenyiCriticalDifference } from '../../src/analysis/friedman.js';
import { holmAdjust } from '../../src/analysis/holm.js';
import { kendallTauB } from '../../src/analysis/kendall.js';
import { pairedTTest } from '../../src/analysis/paired-t.js';
import { rankAscending, rankDescending } from '../../src/analysis/ranks.js';
import { hodgesLehmann, signedRankCounts, wilcoxonSignedRank } from '../../src/analysis/wilcoxon.js';

describe('distributions', () => {
  it('normal CDF matches the 1.96 and 1.645 quantiles of every table', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 12);
    expect(normalCdf(-1.6448536269514722)).toBeCloseTo(0.05, 12);
    expect(normalCdf(0)).toBe(0.5);
  });
  it('chi-square survival: closed form exp(−x/2) at 2 df, and the textbook 3.841 critical value at 1 df', () => {
    for (const x of [0.5, 2, 6, 13.8]) expect(chiSquareSf(x, 2)).toBeCloseTo(Math.exp(-x / 2), 12);
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 10);
    // 7.815 is the 0.05 critical value for 3 df in every chi-square table.
    expect(chiSquareSf(7.814727903251178, 3)).toBeCloseTo(0.05, 10);
  });
});

describe('ranks', () => {
  it('averages tied ranks like scipy.stats.rankdata', () => {
    expect(rankAscending([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    expect(rankDescending([0.9, 0.8, 0.9])).toEqual([1.5, 3, 1.5]);
  });
});

describe('wilcoxonSignedRank', () => {
  it('null distribution: subset-sum counts of {1,2,3} are 1,1,1,2,1,1,1 (enumerated by hand)', () => {
    expect(signedRankCounts(3)).toEqual([1, 1, 1, 2, 1, 1, 1]);
    expect(signedRankCounts(10).reduce((a, b) => a + b, 0)).toBe(1024);
  });
  it('exact p: all n differences positive gives 2/2^n (0.25 for 3 seeds, 0.0625 for 5)', () => {
    expect(wilcoxonSignedRank([0.1, 0.2, 0.3]).p).toBeCloseTo(0.25, 15);
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5])).toMatchObject({ n: 5, wPlus: 15, method: 'exact' });
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5]).p).toBeCloseTo(0.0625, 15);
    expect(wilcoxonSignedRank([-1, -2, -3, -4, -5, -6]).p).toBeCloseTo(0.03125, 15);
  });
  it('exact p with one negative of rank 1: P(W− ≤ 1) = 2/32 by hand, two-sided 0.125', () => {
    expect(wilcoxonSignedRank([-1, 2, 3, 4, 5]).p).toBeCloseTo(0.125, 15);
  });
  it('drops zeros and returns p = 1 for no non-zero difference', () => {
    expect(wilcoxonSignedRank([0, 0]).p).toBe(1);
    expect(wilcoxonSignedRank([0, 1, 2, 3]).n).toBe(3);
  });
  it('ties keep the exact p (midranks, every sign pattern counted); values from scripts/reference/wilcoxon_exact.py (itertools enumeration)', () => {
    // The old rule sent any tie to the normal approximation: [1,1,2,3] gave 0.0656 at 4 pairs,
    // and 5 equal differences gave 0.042, below the exact minimum 2/2^5.
    expect(wilcoxonSignedRank([1, 1, 2, 3, 4])).toMatchObject({ method: 'exact', p: 0.0625 });
    expect(wilcoxonSignedRank([0.05, 0.05, 0.05, 0.05, 0.05])).toMatchObject({ method: 'exact', p: 0.0625 });
    expect(wilcoxonSignedRank([0.05, 0.05, 0.05, 0.05, 0.05, 0.05]).p).toBeCloseTo(0.03125, 15);
    expect(wilcoxonSignedRank([1, -1, 2, 2, 3, -4]).p).toBeCloseTo(0.59375, 15);
    expect(wilcoxonSignedRank([0, 1, 1, 2, 3])).toMatchObject({ n: 4, zeros: 1, p: 0.125 });
    const twenty = Array.from({ length: 20 }, (_, i) => (((i * 7) % 11) - 3.5) / 100);
    const r = wilcoxonSignedRank(twenty);
    expect(r).toMatchObject({ n: 20, method: 'exact' });
    expect(r.p).toBeCloseTo(0.10130500793457031, 14);
  });
  it('differences equal on paper but not in the last float bit are tied', () => {
    // 0.7 − 0.6 and 0.8 − 0.7 differ in the last bits; as ties the ranks are 1.5,1.5,3,4,5 and
    // W+ = 1.5 + 4 + 5 = 10.5 (untied it would be 1 + 4 + 5 = 10).
    const d = [0.7 - 0.6, -(0.8 - 0.7), -0.2, 0.3, 0.4];
    expect(0.7 - 0.6).not.toBe(0.8 - 0.7);
    expect(wilcoxonSignedRank(d).wPlus).toBe(10.5);
  });
  it('normal approximation only beyond 50 pairs', () => {
    const d = Array.from({ length: 51 }, (_, i) => i + 1);
    expect(wilcoxonSignedRank(d).method).toBe('normal');
    expect(wilcoxonSignedRank(d.slice(0, 50)).method).toBe('exact');
  });
  it('rank-biserial (W+ − W−)/(W+ + W−): 1 when all positive, (13 − 8)/21 for [1,−1,2,2,3,−4]', () => {
    expect(wilcoxonSignedRank([1, 2, 3]).rankBiserial).toBe(1);
    // ranks of |d| 1,1,2,2,3,4: 1.5,1.5,3.5,3.5,5,6; W+ = 1.5+3.5+3.5+5 = 13.5, W− = 7.5.
    expect(wilcoxonSignedRank([1, -1, 2, 2, 3, -4]).rankBiserial).toBeCloseTo((13.5 - 7.5) / 21, 15);
  });
});

describe('hodgesLehmann', () => {
  it('median of Walsh averages and the exact 95 % interval; values from scripts/reference/wilcoxon_exact.py', () => {
    const h = hodgesLehmann([0.3, -0.1, 0.5, 0.2, 0.9, 0.4, 0.05, 0.6]);
    expect(h.estimate).toBeCloseTo(0.35, 15);
    expect(h.low).toBeCloseTo(0.05, 15);
    expect(h.high).toBeCloseTo(0.65, 15);
    // n = 8: P(W+ ≤ 3) = 5/256 ≤ 0.025 < P(W+ ≤ 4) = 7/256, so k = 4 and coverage 1 − 10/256.
    expect(h.confidence).toBeCloseTo(1 - 10 / 256, 15);
  });
  it('no 95 % interval below 6 pairs (1/2^5 > 0.025): bounds are null, not a narrower interval', () => {
    expect(hodgesLehmann([1, 2, 3, 4, 5])).toEqual({ estimate: 3, low: null, high: null, confidence: null });
  });
});

describe('pairedTTest', () => {
  it('d = [1, 2, 3]: t = 2/(1/√3) = 3.4641, p = 0.0742 (t-table, 2 df)', () => {
    const r = pairedTTest([1, 2, 3]);
    expect(r.t).toBeCloseTo(2 * Math.sqrt(3), 12);
    // 2 df has the closed form P(T > t) = ½(1 − t/√(2 + t²)).
    expect(r.p).toBeCloseTo(1 - 3.4641016151377544 / Math.sqrt(2 + 12), 10);
    expect(r.ci95).toBeCloseTo(4.302652729911275 / Math.sqrt(3), 8);
  });
  it('identical non-zero differences are certain; one difference has no p', () => {
    expect(pairedTTest([0.1, 0.1, 0.1]).p).toBe(0);
    expect(pairedTTest([0, 0, 0]).p).toBe(1);
    expect(pairedTTest([0.3]).p).toBeNull();
  });
});

describe('holmAdjust', () => {
  it('p = [0.01, 0.04, 0.03] → [0.03, 0.06, 0.06] (×3, ×2 then monotone, ×1 then monotone)', () => {
    const r = holmAdjust([0.01, 0.04, 0.03]);
    expect(r[0]).toBeCloseTo(0.03, 15);
    expect(r[1]).toBeCloseTo(0.06, 15);
    expect(r[2]).toBeCloseTo(0.06, 15);
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1]);
  });
});

describe('kendallTauB', () => {
  it('one swapped pair of 4 gives (5 − 1)/6; with a tie [1,1,2] vs [1,2,3] gives 2/√6 (scipy kendalltau)', () => {
    expect(kendallTauB([1, 2, 3, 4], [1, 2, 4, 3])).toBeCloseTo(4 / 6, 15);
    expect(kendallTauB([1, 1, 2], [1, 2, 3])).toBeCloseTo(2 / Math.sqrt(6), 15);
    expect(kendallTauB([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(kendallTauB([1, 1], [1, 2])).toBeNull();
  });
});

describe('friedmanTest', () => {
  it('3 blocks ranking 3 treatments identically: χ² = 12/36·126 − 36 = 6, p = e^−3 (2 df)', () => {
    const r = friedmanTest([[3, 2, 1], [3, 2, 1], [3, 2, 1]]);
    expect(r.chiSquare).toBeCloseTo(6, 12);
    expect(r.p).toBeCloseTo(Math.exp(-3), 12);
    expect(r.averageRanks).toEqual([1, 2, 3]);
  });
  it('applies the tie correction: fully tied blocks carry no evidence', () => {
    expect(friedmanTest([[1, 1], [1, 1]]).p).toBe(1);
  });
  it('Nemenyi CD for Demšar’s example (k = 4, N = 14) is 2.569·√(20/84) = 1.25', () => {
    expect(nemenyiCriticalDifference(4, 14)).toBeCloseTo(1.2536, 3);
    expect(nemenyiCriticalDifference(11, 5)).toBeNull();
  });
});
