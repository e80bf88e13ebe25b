import { describe, expect, it } from 'vitest';
import { varyingAxes } from '../../src/analysis/curves.js';
import { computeFindings, decide, type Finding } from '../../src/analysis/findings.js';
import { groupBySetting } from '../../src/analysis/seed-curves.js';
import type { CellResult } from '../../src/store/schema.js';
import { fakeCell, fakeResult } from './fixtures.js';

function findings(results: CellResult[]): Finding[] {
  const axes = varyingAxes(results.map((r) => r.cell));
  return computeFindings({ settings: groupBySetting(results, axes), axes, baseline: 'random' });
}
const byId = (fs: readonly Finding[], id: string) => fs.find((f) => f.id === id)!;

/** Accuracy curve rising by `step` from 0.5, shifted by `lift`, with seed noise ±`noise`. */
function curve(lift: number, seed: number, noise = 0.01, step = 0.1): number[] {
  return [0.5, 0.5 + step + lift, 0.5 + 2 * step + lift, 0.5 + 3 * step + lift].map((a, i) => (i === 0 ? a : a + noise * (seed - 1)));
}

describe('decide (the shared procedure)', () => {
  const rule = { direction: -1 as const, minEffect: 0.01 };
  it('supported needs the interval off 0 on the claimed side and the estimate ≥ minEffect', () => {
    // mean −0.05, sd 0.01, n 3: 95% CI −0.05 ± 4.303·0.01/√3 = [−0.0748, −0.0252] (hand computation).
    const d = decide([-0.05, -0.04, -0.06], rule);
    expect(d.verdict).toBe('supported');
    expect(d.interval![0]).toBeCloseTo(-0.05 - (4.302652729911275 * 0.01) / Math.sqrt(3), 10);
    // Significant but below the smallest effect, and not inside ±0.01 either: inconclusive.
    expect(decide([-0.006, -0.005, -0.007, -0.006], rule).verdict).toBe('not supported'); // 90% CI ⊂ ±0.01: equivalent
    expect(decide([-0.009, -0.008, -0.010], rule).verdict).toBe('inconclusive');
  });
  it('not supported = equivalence (TOST) or the reverse effect ≥ minEffect; anything else inconclusive with seeds needed', () => {
    expect(decide([0.05, 0.04, 0.06], rule).verdict).toBe('not supported');
    expect(decide([0.001, -0.001, 0], rule).verdict).toBe('not supported');
    const wide = decide([-0.05, 0.04, 0.01, -0.03, 0.02], rule);
    expect(wide.verdict).toBe('inconclusive');
    expect(wide.seedsNeeded).toBeGreaterThan(5);
    expect(decide([0.05, 0.04, 0.06], { direction: 0, minEffect: 0.01 }).verdict).toBe('supported');
  });
  it('needs ≥ 3 seeds whatever the data say', () => {
    const d = decide([-0.05, -0.06], rule);
    expect(d.verdict).toBe('inconclusive');
    expect(d.reason).toMatch(/only 2 seeds; verdicts need ≥ 3 \(≥ 5 recommended\)/);
  });
});

describe('computeFindings on a quick-like study (strategy, budget and seed vary)', () => {
  const results = [100, 300].flatMap((budget) =>
    [0, 1, 2].flatMap((seed) => [
      fakeResult(fakeCell({ strategy: 'random', budget, seed }), curve(0, seed)),
      fakeResult(fakeCell({ strategy: 'entropy', budget, seed }), curve(0.03, seed)),
    ]),
  );
  const fs = findings(results);

  it('returns F1–F12 in order, each with claim, citation and statistic', () => {
    expect(fs.map((f) => f.id)).toEqual(['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12']);
    for (const f of fs) {
      expect(f.claim.length).toBeGreaterThan(10);
      expect(f.citation).toMatch(/20\d\d/);
      expect(f.statistic.length).toBeGreaterThan(10);
    }
  });
  it('says why a finding is not covered: which axis the run lacks', () => {
    expect(byId(fs, 'F1')).toMatchObject({ verdict: 'not covered' });
    expect(byId(fs, 'F1').reason).toMatch(/does not vary augmentation \(value: none\)/);
    expect(byId(fs, 'F2').reason).toMatch(/does not vary ssl/);
    expect(byId(fs, 'F4').reason).toMatch(/batch size.*value: 10/);
    expect(byId(fs, 'F5').reason).toMatch(/dataset/);
    expect(byId(fs, 'F9').reason).toMatch(/no training-protocol axis/);
    expect(byId(fs, 'F10').reason).toMatch(/no class-imbalance axis/);
    expect(byId(fs, 'F11').reason).toMatch(/does not vary the representation/);
    expect(byId(fs, 'F12').reason).toMatch(/seed-set size \(value: 20\)/);
  });
  it('F3 is computed: entropy is 0.03 ahead, so no low-budget loss', () => {
    const f3 = byId(fs, 'F3');
    expect(f3.verdict).not.toBe('not covered');
    expect(f3.verdict).not.toBe('supported');
    // Budgets 100 and 300 nest (same configuration, full batches): one block, one comparison.
    expect(f3.evidence.rows).toHaveLength(1);
    expect(f3.seeds).toBe(3);
  });
  it('F7 compares budgets at their own end points: these fake curves never reach 100 labels, so nothing is judged', () => {
    const f7 = byId(fs, 'F7');
    expect(f7.verdict).toBe('inconclusive');
    expect(f7.evidence.rows).toHaveLength(0);
  });
});

describe('computeFindings with augmentation and batch-size axes', () => {
  it('F1 supported when augmentation shrinks the gap between strategies; F8 when it dwarfs AL', () => {
    const results = (['none', 'flip'] as const).flatMap((augmentation) =>
      [0, 1, 2].flatMap((seed) => {
        const gap = augmentation === 'none' ? 0.08 : 0.01;
        const boost = augmentation === 'none' ? 0 : 0.15;
        return [
          fakeResult(fakeCell({ strategy: 'random', augmentation: augmentation as 'none', seed }), curve(boost, seed, 0.002)),
          fakeResult(fakeCell({ strategy: 'entropy', augmentation: augmentation as 'none', seed }), curve(boost + gap, seed, 0.002)),
        ];
      }),
    );
    const fs = findings(results);
    expect(byId(fs, 'F1').verdict).toBe('supported');
    expect(byId(fs, 'F1').value!).toBeLessThan(0);
    expect(byId(fs, 'F8').verdict).toBe('supported');
    expect(byId(fs, 'F2').verdict).toBe('not covered');
  });

  it('F4 supported by a significant reversal across batch sizes; inconclusive with 2 seeds', () => {
    const make = (seeds: number[]) =>
      [10, 40].flatMap((batchSize) =>
        seeds.flatMap((seed) => [
          fakeResult(fakeCell({ strategy: 'random', batchSize, seed }), curve(0, seed)),
          fakeResult(fakeCell({ strategy: 'entropy', batchSize, seed }), curve((batchSize === 10 ? 0.05 : -0.05) + 0.004 * (seed % 2), seed)),
        ]),
      );
    const f4 = byId(findings(make([0, 1, 2])), 'F4');
    expect(f4.verdict).toBe('supported');
    expect(f4.familySize).toBe(2);
    expect(f4.evidence.rows[0][1]).toBe('entropy − random');
    expect(f4.evidence.rows[0][11]).toBe('reversal');
    expect(byId(findings(make([0, 1])), 'F4').verdict).toBe('inconclusive');
  });

  it('F9 pairs plain retrain cells (no protocol field) with warm-start ones; not supported when warm start is ahead', () => {
    // Warm start is `lift` off retrain in every setting and seed (noise 0.01 per seed, same sign).
    const make = (lift: number) =>
      [10, 40].flatMap((batchSize) =>
        [0, 1, 2].flatMap((seed) =>
          ['random', 'entropy'].flatMap((strategy) => [
            fakeResult(fakeCell({ strategy, batchSize, seed }), curve(0, seed)),
            fakeResult(fakeCell({ strategy, batchSize, seed, protocol: { name: 'warm-start' } }), curve(lift, seed)),
          ]),
        ),
      );
    const behind = byId(findings(make(-0.05)), 'F9');
    expect(behind.verdict).toBe('supported');
    // AUBC of the fixture curve over 10..40 labels is the trapezoid mean: the lift counts 2.5 of 3 intervals.
    expect(behind.value).toBeCloseTo((-0.05 * 2.5) / 3, 12);
    expect(behind.evidence.rows).toHaveLength(6);
    expect(behind.evidence.rows[0].slice(1, 3)).toEqual(['default', 'warm-start']);
    expect(byId(findings(make(0.05)), 'F9').verdict).toBe('not supported');
  });

  it('F12 supported when the seed-set size reverses two strategies; not supported only when the contrast is equivalent', () => {
    const make = (flip: boolean) =>
      [10, 30].flatMap((initialSize) =>
        [0, 1, 2, 3].flatMap((seed) => [
          fakeResult(fakeCell({ strategy: 'random', initialSize, seed }), curve(0, seed)),
          fakeResult(fakeCell({ strategy: 'margin', initialSize, seed }), curve((flip && initialSize === 30 ? -0.05 : 0.05) + 0.002 * (seed % 2), seed)),
        ]),
      );
    expect(byId(findings(make(true)), 'F12').verdict).toBe('supported');
    const kept = byId(findings(make(false)), 'F12');
    // Margin 0.05 ahead at both sizes, significantly: a reversal is ruled out.
    expect(kept.verdict).toBe('not supported');
  });
});

describe('nested budgets, failed treatments, F5 and overrides', () => {
  const nested = (loss: number) =>
    [0, 1, 2, 3, 4].flatMap((seed) =>
      ['random', 'entropy'].flatMap((strategy) => {
        const lift = strategy === 'entropy' ? -loss + 0.004 * (seed % 3) : 0;
        const accs = curve(lift, seed);
        const big = fakeResult(fakeCell({ strategy, seed, budget: 50, id: `big-${strategy}-${seed}` }), accs);
        const small = fakeResult(fakeCell({ strategy, seed, budget: 30, id: `small-${strategy}-${seed}` }), accs.slice(0, 2));
        return [big, { ...small, derivedFrom: { cellId: big.cell.id, rounds: 2 } }];
      }),
    );
  it('F3 counts a comparison a nested budget shares with a larger one once', () => {
    const f3 = byId(findings(nested(0.05)), 'F3');
    // Budget 30 (labels 20, 30) and 50 (20–50): both low ranges end at 30 labels, the same data.
    expect(f3.familySize).toBe(1);
    expect(f3.verdict).toBe('supported');
  });
  it('a treatment that lowers the baseline makes F1 and F8 inconclusive, with its Δ and CI', () => {
    const results = (['none', 'flip'] as const).flatMap((augmentation) =>
      [0, 1, 2, 3].flatMap((seed) => {
        const gap = augmentation === 'none' ? 0.08 : 0.01;
        const hurt = augmentation === 'none' ? 0 : -0.1 + 0.003 * (seed % 2);
        return [
          fakeResult(fakeCell({ strategy: 'random', augmentation: augmentation as 'none', seed }), curve(hurt, seed, 0.002)),
          fakeResult(fakeCell({ strategy: 'entropy', augmentation: augmentation as 'none', seed }), curve(hurt + gap, seed, 0.002)),
        ];
      }),
    );
    const fs = findings(results);
    for (const id of ['F1', 'F6', 'F8']) {
      expect(byId(fs, id).verdict).toBe('inconclusive');
      expect(byId(fs, id).reason).toMatch(/did not improve the baseline \(random\).*Δ -0\.0\d+, 95% CI/);
    }
  });
  it('F5 is not covered when only the imbalance of one dataset varies', () => {
    const results = [1, 10].flatMap((imbalance) =>
      [0, 1, 2].flatMap((seed) => [
        fakeResult(fakeCell({ strategy: 'random', seed, dataset: { imbalance } }), curve(0, seed)),
        fakeResult(fakeCell({ strategy: 'entropy', seed, dataset: { imbalance } }), curve(0.02, seed)),
      ]),
    );
    expect(byId(findings(results), 'F5').verdict).toBe('not covered');
  });
  it('a study can override a finding’s smallest effect of interest', () => {
    const results = nested(0.05);
    const axes = varyingAxes(results.map((r) => r.cell));
    const input = { settings: groupBySetting(results, axes), axes, baseline: 'random', options: { F3: { minEffect: 0.2 } } };
    const f3 = computeFindings(input).find((f) => f.id === 'F3')!;
    expect(f3.minEffect).toBe(0.2);
    expect(f3.verdict).not.toBe('supported');
  });
});

describe('treatment checks', () => {
  it('show each treatment’s paired effect on random, flagging the ones that did not improve it', async () => {
    const { analyze } = await import('../../src/analysis/analyze.js');
    const results = (['none', 'flip'] as const).flatMap((augmentation) =>
      [0, 1, 2, 3].flatMap((seed) => {
        const hurt = augmentation === 'none' ? 0 : -0.1 + 0.003 * (seed % 2);
        return ['random', 'entropy'].map((strategy) => fakeResult(fakeCell({ strategy, augmentation: augmentation as 'none', seed }), curve(hurt, seed, 0.002)));
      }),
    );
    const a = analyze(results, 'random');
    expect(a.treatments).toHaveLength(1);
    const [check] = a.treatments;
    expect(check.axis).toBe('augmentation');
    expect(check.improved).toBe(false);
    // AUBC over 20..50 labels of the fixture curve: the shift counts 2.5 of 3 intervals (trapezoids).
    expect(check.estimate!.mean).toBeCloseTo(((-0.1 + 0.0015) * 2.5) / 3, 10);
    expect(check.estimate!.n).toBe(4);
  });
  // A treatment that does not help (Δ −0.01) is an honest negative only where its models fit.
  const flat = (treatedFit: number | undefined) =>
    (['none', 'flip'] as const).flatMap((augmentation) =>
      [0, 1, 2, 3].flatMap((seed) => {
        const hurt = augmentation === 'none' ? 0 : -0.01 + 0.002 * (seed % 2);
        const trainAccuracy = treatedFit === undefined ? undefined : augmentation === 'none' ? [1, 1, 1, 1] : [1, 1, treatedFit, 1];
        return ['random', 'entropy'].map((strategy) =>
          fakeResult(fakeCell({ strategy, augmentation: augmentation as 'none', seed }), curve(hurt + (strategy === 'entropy' ? 0.03 : 0), seed, 0.002), { trainAccuracy }),
        );
      }),
    );
  it('tell a treatment that honestly did not help fitted models from one whose models underfit', async () => {
    const { analyze } = await import('../../src/analysis/analyze.js');
    const fitted = analyze(flat(0.96), 'random');
    expect(fitted.treatments[0].outcome).toBe('no gain, fitted');
    expect(fitted.treatments[0].fit).toEqual({ without: 1, with: 0.96 });
    // 0.92 clears the report's 0.9 flag but not the 0.95 a negative needs (analysis/fit.ts, FITTED_ACCURACY).
    expect(analyze(flat(0.92), 'random').treatments[0].outcome).toBe('no gain, underfit');
    expect(byId(fitted.findings, 'F1').reason).toMatch(/both arms fit their labelled sets.*honestly does not help/);
    const underfit = analyze(flat(0.85), 'random');
    expect(underfit.treatments[0].outcome).toBe('no gain, underfit');
    expect(byId(underfit.findings, 'F1').reason).toMatch(/in 1 of 1 pairs an arm underfit.*training accuracy ≥ 0\.85 with it/);
    const unrecorded = analyze(flat(undefined), 'random');
    expect(unrecorded.treatments[0].outcome).toBe('no gain, fit not recorded');
    expect(unrecorded.treatments[0].fit).toEqual({ without: null, with: null });
  });
});

describe('lowestMeanFit', () => {
  it('averages each round over seeds before taking the lowest round', async () => {
    const { lowestMeanFit } = await import('../../src/analysis/fit.js');
    const c = (trainAccuracy: number[]) => ({ seed: 0, cellId: '', labeled: [], accuracy: [], macroF1: [], trainMs: 0, queryMs: 0, trainAccuracy });
    // Round means 0.95 and 0.9: the lowest round is 0.9 (not the lowest value, 0.8, nor a mean of minima, 0.85).
    expect(lowestMeanFit([c([0.9, 1.0]), c([1.0, 0.8])])).toBeCloseTo(0.9, 12);
    // NaN (no record) is skipped within a round; a curve without records gives null.
    expect(lowestMeanFit([c([NaN, 0.96]), c([0.98, NaN])])).toBeCloseTo(0.96, 12);
    expect(lowestMeanFit([c([NaN])])).toBeNull();
  });
});
