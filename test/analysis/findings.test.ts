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
const byId = (fs: Finding[], id: string) => fs.find((f) => f.id === id)!;

/** Accuracy curve rising by `step` from 0.5, shifted by `lift`, with seed noise ±`noise`. */
function curve(lift: number, seed: number, noise = 0.01, step = 0.1): number[] {
  return [0.5, 0.5 + step + lift, 0.5 + 2 * step + lift, 0.5 + 3 * step + lift].map((a, i) => (i === 0 ? a : a + noise * (seed - 1)));
}

describe('decide', () => {
  it('directional: supported on the claimed side, not supported on the other or inside the margin', () => {
    expect(decide([-0.05, -0.04, -0.06], -1, 3, 'seed').verdict).toBe('supported');
    expect(decide([0.05, 0.04, 0.06], -1, 3, 'seed').verdict).toBe('not supported');
    expect(decide([0.001, -0.001, 0], -1, 3, 'seed').verdict).toBe('not supported');
    expect(decide([-0.05, 0.04, 0.01], -1, 3, 'seed').verdict).toBe('inconclusive');
    expect(decide([0.05, 0.04, 0.06], 0, 3, 'seed').verdict).toBe('supported');
  });
  it('needs ≥ 3 seeds whatever the data say', () => {
    const d = decide([-0.05, -0.06], -1, 2, 'seed');
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
    expect(f3.evidence.rows).toHaveLength(2);
    expect(f3.seeds).toBe(3);
  });
  it('F7 compares rankings across the budget axis', () => {
    const f7 = byId(fs, 'F7');
    expect(f7.verdict).toBe('not supported'); // entropy significantly ahead at both budgets
    expect(f7.value).toBe(1); // Kendall τ of identical rankings
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
          fakeResult(fakeCell({ strategy: 'entropy', batchSize, seed }), curve(batchSize === 10 ? 0.05 : -0.05, seed)),
        ]),
      );
    const f4 = byId(findings(make([0, 1, 2])), 'F4');
    expect(f4.verdict).toBe('supported');
    expect(f4.value).toBe(-1);
    expect(f4.evidence.rows[0][5]).toBe('entropy ↔ random');
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

  it('F12 supported when the seed-set size reverses two strategies; not supported when the order holds', () => {
    // Margin is 0.05 ahead of random from a seed set of 10 and 0.05 behind from 30 (or ahead at
    // both when `flip` is false); seed noise is 0.01, so every pair is significantly ordered.
    const make = (flip: boolean) =>
      [10, 30].flatMap((initialSize) =>
        [0, 1, 2].flatMap((seed) => [
          fakeResult(fakeCell({ strategy: 'random', initialSize, seed }), curve(0, seed)),
          fakeResult(fakeCell({ strategy: 'margin', initialSize, seed }), curve(flip && initialSize === 30 ? -0.05 : 0.05, seed)),
        ]),
      );
    const reversed = byId(findings(make(true)), 'F12');
    expect(reversed.verdict).toBe('supported');
    expect(reversed.value).toBe(-1);
    expect(reversed.evidence.rows[0].slice(1)).toEqual(['10', '30', 2, -1, 'margin ↔ random']);
    const kept = byId(findings(make(false)), 'F12');
    expect(kept.verdict).toBe('not supported');
    expect(kept.value).toBe(1);
  });
});
