/**
 * compareRuns on hand-made results. Expected values are worked out by hand: with three rounds at
 * 10/20/30 labels, AUBC = (a0 + 2·a1 + a2) / 4; exact Wilcoxon p with n pairs all of one sign is
 * 2/2^n (0.03125 for 6 seeds, 0.0625 for 5), as scipy.stats.wilcoxon gives.
 */
import { describe, expect, it } from 'vitest';
import { compareRuns, smallestWilcoxonP, verdictOf } from '../../src/regression/compare-runs.js';
import { formatCompare } from '../../src/regression/format-compare.js';
import { fakeCell, fakeResult } from './fake-results.js';

const SEEDS = [0, 1, 2, 3, 4, 5];
const plugin = (sha: string) => ({ module: `/x/${sha}.js`, export: 'mine', sha256: sha.padEnd(64, '0') });
const run = (strategy: string, acc: (seed: number) => number[], sha?: string) =>
  SEEDS.map((s) => fakeResult(fakeCell(strategy, s, sha ? { plugin: plugin(sha) } : {}), acc(s)));
const sources = { baseline: { dir: 'a', cells: 6, skipped: [] }, candidate: { dir: 'b', cells: 6, skipped: [] } };

describe('compareRuns', () => {
  it('flags a strategy that got worse on every seed, matching plugin cells across module versions', () => {
    const baseline = run('mine', (s) => [0.5, 0.7, 0.8 + s / 100], 'aaaa');
    // Worse by a different amount on each seed.
    const candidate = run('mine', (s) => [0.5, 0.6 - s / 200, 0.7 + s / 100 - s / 200], 'bbbb');
    const report = compareRuns(baseline, candidate);
    const aubc = report.rows.find((r) => r.quantity === 'aubc')!;
    // AUBC diff on seed s = (2·(−0.1 − s/200) + (−0.1 − s/200)) / 4 = −0.075 − 3s/800; mean over s = 0..5: −0.084375.
    expect(aubc.meanDiff).toBeCloseTo(-0.084375, 12);
    expect(aubc.wilcoxonP).toBeCloseTo(0.03125, 12);
    expect(aubc.verdict).toBe('regressed');
    expect(report.rows.find((r) => r.quantity === 'final-accuracy')!.meanDiff).toBeCloseTo(-0.1125, 12);
    expect(report.regressed).toBe(true);
    expect(report.missingInBaseline).toEqual([]);
    expect(formatCompare('text', report, sources)).toMatch(/regressed.*REGRESSION \(exit 1\)/s);
    expect(formatCompare('markdown', report, sources)).toContain('| **regressed** |');
    expect(JSON.parse(formatCompare('json', report, sources)).regressed).toBe(true);
  });

  it('calls an identical re-run unchanged, and an improvement improved', () => {
    const baseline = run('entropy', (s) => [0.5, 0.6 + s / 50, 0.7]);
    const same = compareRuns(baseline, run('entropy', (s) => [0.5, 0.6 + s / 50, 0.7]));
    expect(same.rows.every((r) => r.verdict === 'unchanged' && r.identical && r.wilcoxonP === 1)).toBe(true);
    expect(same.regressed).toBe(false);
    const better = compareRuns(baseline, run('entropy', (s) => [0.5, 0.65 + s / 50, 0.75]));
    expect(better.counts.improved).toBe(2);
    expect(better.regressed).toBe(false);
  });

  it('needs both significance and the minimum effect', () => {
    const baseline = run('entropy', () => [0.5, 0.6, 0.7]);
    const tiny = compareRuns(baseline, run('entropy', (s) => [0.5, 0.6, 0.7 - 0.001 * (s + 1)]));
    expect(tiny.rows.find((r) => r.quantity === 'final-accuracy')!.wilcoxonP).toBeCloseTo(0.03125, 12);
    expect(tiny.counts.regressed).toBe(0);
    expect(compareRuns(baseline, run('entropy', (s) => [0.5, 0.6, 0.7 - 0.001 * (s + 1)]), { minEffect: 0 }).counts.regressed).toBe(2);
    expect(verdictOf(-0.5, 0.06, 0.05, 0)).toBe('unchanged');
  });

  it('lists cells present on one side only and counts newly failing cells as regressions', () => {
    const baseline = run('entropy', () => [0.5, 0.6, 0.7]);
    const candidate = run('entropy', () => [0.5, 0.6, 0.7]).slice(0, 5);
    candidate[0] = fakeResult(candidate[0].cell, [0.5], 'failed');
    candidate.push(fakeResult(fakeCell('entropy', 9), [0.5, 0.6, 0.7]));
    const report = compareRuns(baseline, candidate);
    expect(report.missingInCandidate.map((c) => c.seed)).toEqual([5]);
    expect(report.missingInBaseline.map((c) => c.seed)).toEqual([9]);
    expect(report.failedInCandidate).toMatchObject([{ seed: 0, error: 'boom' }]);
    expect(report.regressed).toBe(true);
    expect(report.rows[0].seeds).toEqual([1, 2, 3, 4]);
    // Four pairs can never reach p < 0.05: the report says so.
    expect(report.notes.join(' ')).toMatch(/smallest two-sided Wilcoxon p.*0\.125.*at least 6 seeds/);
    const text = formatCompare('text', report, sources);
    expect(text).toMatch(/Missing in the candidate \(1\)/);
    expect(text).toMatch(/Failed in the candidate \(counted as regressions\) \(1\)/);
  });

  it('refuses two versions of one cell on one side, naming both', () => {
    const baseline = [...run('mine', () => [0.5, 0.6, 0.7], 'aaaa'), fakeResult(fakeCell('mine', 0, { plugin: plugin('cccc') }), [0.5, 0.6, 0.7])];
    expect(() => compareRuns(baseline, baseline.slice(0, 6))).toThrow(/baseline results hold two cells with the same config.*plugin module/);
  });

  it('five seeds that all lost the same amount stay exact: p = 2/2^5 = 0.0625, never the 0.042 of the normal approximation', () => {
    const five = (acc: (s: number) => number[]) => SEEDS.slice(0, 5).map((s) => fakeResult(fakeCell('entropy', s), acc(s)));
    // Every seed loses 0.05 at the last round: five tied differences.
    const report = compareRuns(five(() => [0.5, 0.6, 0.7]), five(() => [0.5, 0.6, 0.65]));
    const fin = report.rows.find((r) => r.quantity === 'final-accuracy')!;
    expect(fin.wilcoxonP).toBeCloseTo(0.0625, 12);
    expect(fin.verdict).toBe('unchanged');
    expect(fin.rankBiserial).toBe(-1);
    // Hodges–Lehmann median difference −0.05; five pairs have no 95 % interval.
    expect(fin.hodgesLehmann).toMatchObject({ low: null, high: null });
    expect(fin.hodgesLehmann.estimate).toBeCloseTo(-0.05, 12);
    expect(formatCompare('text', report, sources)).toMatch(/0\.0625\s+-1\.00\s+unchanged/);
  });

  it('knows the smallest reachable Wilcoxon p', () => {
    expect(smallestWilcoxonP(5)).toBe(0.0625);
    expect(smallestWilcoxonP(6)).toBe(0.03125);
  });
});
