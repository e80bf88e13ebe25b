import { describe, expect, it } from 'vitest';
import { aubc, aubcBetween, aubcTable } from '../../src/analysis/aubc.js';
import { cdRanks } from '../../src/analysis/cd-ranks.js';
import { costPerStrategy } from '../../src/analysis/cost.js';
import { labelEfficiency, labelsToReach } from '../../src/analysis/label-efficiency.js';
import { pairedComparisons } from '../../src/analysis/paired-comparison.js';
import { penaltyLosses, penaltyMatrix } from '../../src/analysis/penalty-matrix.js';
import { groupBySetting } from '../../src/analysis/seed-curves.js';
import { seedVariance } from '../../src/analysis/variance.js';
import { fakeCell, fakeResult, fakeStudy } from './fixtures.js';

describe('aubc', () => {
  it('trapezoids over the labelled range: (20·0.6 + 20·0.75)/40 = 0.675 by hand', () => {
    expect(aubc([20, 40, 60], [0.5, 0.7, 0.8])).toBeCloseTo(0.675, 15);
    expect(aubc([20, 40, 60], [0.8, 0.8, 0.8])).toBeCloseTo(0.8, 15);
    expect(aubc([20], [0.42])).toBe(0.42);
    expect(aubcBetween([20, 40, 60], [0.5, 0.7, 0.8], 40, 60)).toBeCloseTo(0.75, 15);
    expect(aubcBetween([20, 40], [0.5, 0.7], 100, 200)).toBeNull();
    expect(() => aubc([40, 20], [0.1, 0.2])).toThrow(/ascend/);
  });
  it('summarises per setting × strategy over seeds and ranks within each setting', () => {
    const settings = groupBySetting(fakeStudy(), ['dataset.name']);
    const rows = aubcTable(settings);
    const digitsEntropy = rows.find((r) => r.setting === 'digits' && r.strategy === 'entropy')!;
    // Seed s: curve 0.55,0.65,0.75 + 0.1(s−1) at 20,30,40 → AUBC 0.65 + 0.1(s−1): mean 0.65, std 0.1.
    expect(digitsEntropy.summary.mean).toBeCloseTo(0.65, 12);
    expect(digitsEntropy.summary.std).toBeCloseTo(0.1, 12);
    expect(digitsEntropy.rank).toBe(1);
    expect(rows.find((r) => r.setting === 'digits' && r.strategy === 'random')!.rank).toBe(2);
  });
});

describe('labelEfficiency', () => {
  it('interpolates the first crossing; a target never reached is null', () => {
    const curve = { labeled: [20, 40, 60], values: [0.5, 0.7, 0.8] };
    expect(labelsToReach(curve, 0.6)).toBeCloseTo(30, 12);
    expect(labelsToReach(curve, 0.4)).toBe(20);
    expect(labelsToReach(curve, 0.9)).toBeNull();
  });
  it('ratio n / needed against random, and the labels to reach 90/95/99 % of random’s final accuracy', () => {
    const settings = groupBySetting(fakeStudy(), ['dataset.name']);
    const rows = labelEfficiency(settings, 'random');
    const e = rows.find((r) => r.setting === 'digits' && r.strategy === 'entropy')!;
    // Random's mean: 0.5, 0.6, 0.7 at 20, 30, 40; entropy's 0.55, 0.65, 0.75.
    // Random's 0.6 at n = 30: entropy reaches it at 20 + 10·(0.6 − 0.55)/0.1 = 25 → ratio 1.2.
    expect(e.points[0]).toMatchObject({ labeled: 30 });
    expect(e.points[0].needed).toBeCloseTo(25, 10);
    expect(e.points[0].ratio).toBeCloseTo(1.2, 10);
    expect(e.points[1].needed).toBeCloseTo(35, 10);
    // 99 % of 0.7 = 0.693: entropy at 30 + 10·(0.693 − 0.65)/0.1 = 34.3; random never gets there.
    expect(e.targets[2].needed).toBeCloseTo(34.3, 10);
    const r = rows.find((x) => x.setting === 'digits' && x.strategy === 'random')!;
    expect(r.targets[2].needed).toBeCloseTo(39.3, 10);
    const never = labelEfficiency(
      groupBySetting([
        fakeResult(fakeCell({ strategy: 'random' }), [0.5, 0.6, 0.7]),
        fakeResult(fakeCell({ strategy: 'bad' }), [0.5, 0.5, 0.5]),
      ], []),
      'random',
    ).find((x) => x.strategy === 'bad')!;
    expect(never.points.map((p) => p.needed)).toEqual([null, null]);
    expect(never.neverReached).toBe(2);
    // Censored at their bounds 30/40 and 40/40: the geometric mean is at most √0.75.
    expect(never.meanRatio).toBeCloseTo(Math.sqrt(0.75), 12);
    expect(never.meanRatioIsBound).toBe(true);
  });
});

describe('labelEfficiency without bias', () => {
  const at = (strategy: string, accs: number[]) =>
    [0, 1].map((seed) => fakeResult(fakeCell({ strategy, seed, budget: 50 }), accs));
  // Random's mean curve dips at 40 labels: 0.5, 0.62, 0.6, 0.7 at 20, 30, 40, 50.
  const settings = groupBySetting(
    [...at('random', [0.5, 0.62, 0.6, 0.7]), ...at('good', [0.5, 0.7, 0.72, 0.74]), ...at('bad', [0.5, 0.55, 0.64, 0.66])],
    [],
  );
  const rows = labelEfficiency(settings, 'random');
  const row = (s: string) => rows.find((r) => r.strategy === s)!;

  it('inverts the running-max envelope: [0.5, 0.8, 0.6, 0.9] reaches 0.85 at 40 + 10·0.05/0.1 = 45 (the raw curve would say 48.3)', () => {
    expect(labelsToReach({ labeled: [20, 30, 40, 50], values: [0.5, 0.8, 0.6, 0.9] }, 0.85)).toBeCloseTo(45, 12);
  });
  it('the baseline’s own row is exactly 1 at every level, even where its mean curve dips', () => {
    // The old rule took random's raw 0.6 at n = 40 and found random reaching it at 28.3: ratio 1.41.
    expect(row('random').points.map((p) => p.ratio)).toEqual([1, 1]);
    expect(row('random').meanRatio).toBe(1);
    expect(row('random').meanRatioIsBound).toBe(false);
  });
  it('levels are where random’s envelope rises (0.62 at 30, 0.7 at 50); ratios averaged geometrically', () => {
    const g = row('good');
    expect(g.points.map((p) => p.labeled)).toEqual([30, 50]);
    // 0.62 at 20 + 10·0.12/0.2 = 26, 0.7 at 30: ratios 30/26 and 50/30.
    expect(g.points[0].needed).toBeCloseTo(26, 10);
    expect(g.points[1].needed).toBeCloseTo(30, 10);
    expect(g.meanRatio).toBeCloseTo(Math.sqrt((30 / 26) * (50 / 30)), 10);
  });
  it('a level never reached is censored, reported with its bound, and makes the mean an upper bound', () => {
    const b = row('bad');
    // 0.62 at 30 + 10·0.07/0.09 = 37.78; 0.7 never (its best is 0.66): ratio below 50/50.
    expect(b.points[0].needed).toBeCloseTo(30 + 70 / 9, 10);
    expect(b.points[1]).toMatchObject({ needed: null, ratio: null, ratioAtMost: 1 });
    expect(b.neverReached).toBe(1);
    expect(b.meanRatioIsBound).toBe(true);
    expect(b.meanRatio).toBeCloseTo(Math.sqrt(30 / (30 + 70 / 9)), 10);
  });
});

describe('pairedComparisons', () => {
  it('per-seed differences to random, mean, t interval and Wilcoxon p', () => {
    const results = [0, 1, 2].flatMap((seed) => [
      fakeResult(fakeCell({ strategy: 'random', seed }), [0.5, 0.6, 0.7]),
      fakeResult(fakeCell({ strategy: 'entropy', seed }), [0.5, 0.6 + 0.01 * (seed + 1), 0.7 + 0.01 * (seed + 1)]),
    ]);
    const [c] = pairedComparisons(groupBySetting(results, []), 'random', 'final');
    expect(c.differences.map((d) => Number(d.toFixed(10)))).toEqual([0.01, 0.02, 0.03]);
    expect(c.meanDiff).toBeCloseTo(0.02, 12);
    // s = 0.01, t(0.975, 2) = 4.302653 → half-width 0.01·4.302653/√3.
    expect(c.ci95).toBeCloseTo((0.01 * 4.302652729911275) / Math.sqrt(3), 10);
    expect(c.wilcoxonP).toBeCloseTo(0.25, 12); // all 3 positive: 2/2³
  });
});

describe('penaltyMatrix', () => {
  it('adds 1/L for each checkpoint with a significant paired-t win, none for noise', () => {
    // entropy is ahead by 0.05, 0.06, 0.07 at both checkpoints after the initial one → t = 10.4, p < 0.01.
    const results = [0, 1, 2].flatMap((seed) => [
      fakeResult(fakeCell({ strategy: 'random', seed }), [0.5, 0.6, 0.7]),
      fakeResult(fakeCell({ strategy: 'entropy', seed }), [0.5, 0.65 + 0.01 * seed, 0.75 + 0.01 * seed]),
      fakeResult(fakeCell({ strategy: 'margin', seed }), [0.5, 0.6 + [0.01, -0.01, 0][seed], 0.7]),
    ]);
    const p = penaltyMatrix(groupBySetting(results, []));
    expect(p.strategies).toEqual(['entropy', 'margin', 'random']);
    expect(p.matrix[0][2]).toBeCloseTo(1, 12); // entropy beat random at 2 of 2 checkpoints
    expect(p.matrix[0][1]).toBeCloseTo(1, 12);
    expect(p.matrix[1][2]).toBe(0); // margin vs random: differences 0.01, −0.01, 0 then 0 — no win
    expect(p.matrix[2][0]).toBe(0);
    expect(penaltyLosses(p)).toEqual([0, 1, 1]);
    expect(p.settings).toBe(1);
  });
});

describe('cdRanks', () => {
  it('ranks over (dataset, seed) blocks, Friedman, Holm-corrected Wilcoxon, cliques', () => {
    const settings = groupBySetting(fakeStudy(), ['dataset.name']);
    const cd = cdRanks(settings)!;
    // entropy beats random in all 6 blocks: average ranks 1 and 2; Friedman χ² = 12·6/(2·3)·(36+144) − 3·6·3 = 6 (1 df).
    expect(cd.strategies).toEqual(['entropy', 'random']);
    expect(cd.averageRanks).toEqual([1, 2]);
    expect(cd.blocks).toBe(6);
    expect(cd.friedmanChiSquare).toBeCloseTo(6, 10);
    // Wilcoxon over 6 equal differences 0.05 (all tied), exact: 2/2⁶.
    expect(cd.pairwise[0].p).toBeCloseTo(0.03125, 15);
    expect(cd.pairwise[0].rankBiserial).toBe(1);
    expect(cd.pairwise[0].hodgesLehmann.estimate).toBeCloseTo(0.05, 12);
    expect(cd.independentSettings).toBe(2);
    expect(cd.pairwise[0].significant).toBe(true);
    expect(cd.cliques).toEqual([]);
    expect(cd.criticalDifference).toBeCloseTo(1.96 * Math.sqrt(6 / 36), 10);
  });
});

describe('independent blocks: a budget cut from a larger one is part of its block', () => {
  // Budget 40 (20, 30, 40 labels) and budget 30 derived from it (its first two rounds), 5 seeds,
  // entropy ahead of random by a different amount on each seed.
  const results = [0, 1, 2, 3, 4].flatMap((seed) =>
    (['random', 'entropy'] as const).flatMap((strategy) => {
      const lift = strategy === 'entropy' ? 0.02 + 0.01 * seed : 0;
      const accs = [0.5, 0.6 + lift, 0.7 + lift];
      const large = fakeResult(fakeCell({ strategy, seed, budget: 40, id: `${strategy}-${seed}-40` }), accs);
      const small = fakeResult(fakeCell({ strategy, seed, budget: 30, id: `${strategy}-${seed}-30` }), accs.slice(0, 2));
      return [large, { ...small, derivedFrom: { cellId: large.cell.id, rounds: 2 } }];
    }),
  );
  const settings = groupBySetting(results, ['budget']);

  it('CD ranks count 5 seed blocks, not 10: the exact Wilcoxon p is then 2/2⁵ and nothing is significant', () => {
    const cd = cdRanks(settings)!;
    expect(settings.length).toBe(2);
    expect(cd).toMatchObject({ blocks: 5, independentSettings: 1, nestedSettings: 1 });
    // Ten blocks would give 2/2¹⁰ ≈ 0.002 and a "significant" pair from 5 seeds.
    expect(cd.pairwise[0].p).toBeCloseTo(0.0625, 15);
    expect(cd.pairwise[0].significant).toBe(false);
    // The block is scored on the largest budget: AUBC difference (lift/2·10 + lift·10)/20 = 0.75·lift.
    expect(cd.pairwise[0].meanDiff).toBeCloseTo(0.75 * 0.04, 12);
  });
  it('the penalty matrix counts the nested budget once: its largest entry is 1 independent setting', () => {
    const p = penaltyMatrix(settings);
    expect(p).toMatchObject({ settings: 1, nestedSettings: 1 });
    expect(p.matrix[0][1]).toBeCloseTo(1, 12); // entropy beats random at both checkpoints of budget 40
    expect(p.matrix[1][0]).toBe(0);
  });
  it('settings of one dataset and seed are one block; different datasets are blocks of their own', () => {
    // A second treatment on the same data (augmentation): same seeds, same initial sets, so still 5 blocks.
    const treated = results.filter((r) => r.cell.budget === 40).map((r) => ({ ...r, cell: { ...r.cell, augmentation: { name: 'standard' as const }, id: `${r.cell.id}-aug` } }));
    const cd = cdRanks(groupBySetting([...results, ...treated], ['budget', 'augmentation']))!;
    expect(cd).toMatchObject({ blocks: 5, independentSettings: 2 });
    expect(cd.pairwise[0].p).toBeCloseTo(0.0625, 15);
  });
  it('settings that differ only in the budget are nested even when the smaller one was re-run, not derived', () => {
    const rerun = results.map(({ derivedFrom: _d, ...r }) => r as typeof r);
    expect(cdRanks(groupBySetting(rerun, ['budget']))!.blocks).toBe(5);
    // Different datasets are independent blocks: 10 blocks.
    const other = results.filter((r) => r.cell.budget === 40).map((r) => ({ ...r, cell: { ...r.cell, dataset: { ...r.cell.dataset, name: 'synthetic' as const }, id: `${r.cell.id}-syn` } }));
    expect(cdRanks(groupBySetting([...results, ...other], ['dataset.name', 'budget']))).toMatchObject({ blocks: 10, independentSettings: 2 });
  });
});

describe('seedVariance and costPerStrategy', () => {
  it('std of final accuracy over seeds; seconds per strategy from the round times', () => {
    const study = fakeStudy();
    const v = seedVariance(groupBySetting(study, ['dataset.name']));
    expect(v[0].finalStd).toBeCloseTo(0.1, 12);
    expect(v[0].finalRange).toBeCloseTo(0.2, 12);
    const cost = costPerStrategy(study);
    // 6 cells × 3 rounds × 10 ms train; the fixture books 1 ms of query time on all 3 rounds but
    // only 2 select anything, so per querying round: 18 ms / 12 = 1.5 ms.
    expect(cost.find((c) => c.strategy === 'random')).toMatchObject({ cells: 6, rounds: 18 });
    expect(cost[0].trainSeconds).toBeCloseTo(0.18, 12);
    expect(cost[0].queryPerRoundSeconds).toBeCloseTo(0.0015, 12);
  });
});
