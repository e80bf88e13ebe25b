import { describe, expect, it } from 'vitest';
import { chiSquareSf, normalCdf } from '../../src/analysis/distributions.js';
import { friedmanTest, nemenyiCriticalDifference } from '../../src/analysis/friedman.js';
import { holmAdjust } from '../../src/analysis/holm.js';
import { kendallTauB } from '../../src/analysis/kendall.js';
import { pairedTTest } from '../../src/analysis/paired-t.js';
import { rankAscending, rankDescending } from '../../src/analysis/ranks.js';
import { signedRankCounts, wilcoxonSignedRank } from '../../src/analysis/wilcoxon.js';

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
  it('ties switch to the normal approximation with tie-corrected variance', () => {
    // |d| = 1,1,2,3: ranks 1.5,1.5,3,4; W+ = 10 (all positive), mean 5,
    // var = 4·5·9/24 − (2³−2)/48 = 7.5 − 0.125 = 7.375 → z = 5/√7.375 = 1.84115…
    const r = wilcoxonSignedRank([1, 1, 2, 3]);
    expect(r.method).toBe('normal');
    expect(r.p).toBeCloseTo(2 * (1 - normalCdf(5 / Math.sqrt(7.375))), 12);
    expect(r.p).toBeCloseTo(0.0656, 3);
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
