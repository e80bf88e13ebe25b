/**
 * `albench plan`'s time model (runner/time-estimate.ts) on a hand-made cell; every expected value is
 * worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { estimateCellSeconds, interpolateQuery, queryTrainingsOf, roundSeconds, studyWallSeconds, tuneSeconds } from '../../src/runner/time-estimate.js';
import { STRATEGY_NAMES, createStrategy } from '../../src/strategies/registry.js';
import type { Strategy } from '../../src/strategies/strategy.js';
import type { ResolvedCell } from '../../src/spec/types.js';
import type { ModelSetting } from '../../src/spec/types.js';

const cell: ResolvedCell = {
  id: 'x',
  dataset: { name: 'digits' },
  model: 'cnn',
  strategy: 'qbc',
  budget: 30,
  batchSize: 10,
  initialSize: 10,
  augmentation: 'none',
  ssl: 'none',
  seed: 0,
  training: { epochs: 2, batchSize: 8, learningRate: 0.001 },
};
const speeds = {
  round: { fixed: 1, perStep: 0.5, perExampleEpoch: 0.01 },
  train: (m: ModelSetting) => (m === 'cnn' ? 50 : 100),
  infer: (m: ModelSetting) => (m === 'cnn' ? 100 : 200),
};
const sizes = { trainRows: 100, testRows: 100 };
const strategy = (s: Partial<Strategy>): Strategy => ({ name: 's', needs: new Set(), select: async () => ({ indices: [] }), ...s });

describe('estimateCellSeconds', () => {
  it('a round: fixed + (per step · ⌈n/batch⌉ + per example · n) · epochs', () => {
    // n = 10, batch 8: 2 steps → 1 + (0.5·2 + 0.1)·2 = 3.2.
    expect(roundSeconds(speeds.round, 10, 2, 8)).toBeCloseTo(3.2, 12);
  });
  it('random: training and evaluation only (rounds at 10, 20, 30 labels)', () => {
    // Rounds 3.2 + 4.4 + 5.6 = 13.2; three test passes of 100 rows at 100 rows/s = 3.
    const e = estimateCellSeconds(cell, strategy({}), sizes, speeds);
    expect(e).toMatchObject({ queryTraining: 0, scoring: 0, query: 0 });
    expect(e.train).toBeCloseTo(16.2, 12);
    // A round 0 loaded from the shared round-0 model is not trained (3.2 less), but still evaluated.
    expect(estimateCellSeconds(cell, strategy({}), sizes, speeds, true).train).toBeCloseTo(13, 12);
  });
  it('a committee of 3: 2 members trained per querying round, and 3 passes over the pool', () => {
    const qbc = strategy({ needs: new Set(['committeeProbs']), needOptions: { committeeSize: 3 } });
    const e = estimateCellSeconds(cell, qbc, sizes, speeds);
    // Members: 2 · n · 2 epochs / 50 per s at n = 10 and 20 → 0.8 + 1.6.
    expect(e.queryTraining).toBeCloseTo(2.4, 12);
    // Pools of 90 and 80 rows, 1 task pass + 2 member passes at 100 rows/s: 2.7 + 2.4.
    expect(e.scoring).toBeCloseTo(5.1, 12);
    expect(e.total).toBeCloseTo(16.2 + 2.4 + 5.1, 12);
  });
  it('declared query trainings: an SVP proxy (mlp, half the epochs) trains and scores once a round', () => {
    const svp = strategy({ needs: new Set(['trainModel']), queryTrainings: [{ count: 1, model: 'mlp', epochScale: 0.5 }] });
    expect(queryTrainingsOf(cell, svp)).toEqual([{ model: 'mlp', epochs: 1, count: 1 }]);
    const e = estimateCellSeconds(cell, svp, sizes, speeds);
    // (10 + 20) · 1 epoch / 100 per s; pools 90 + 80 at 200 rows/s.
    expect(e.queryTraining).toBeCloseTo(0.3, 12);
    expect(e.scoring).toBeCloseTo(0.85, 12);
  });
  it('a measured query replaces the counted parts, interpolated in the labelled size', () => {
    const q = interpolateQuery([10, 1], [20, 3]);
    expect(q(15)).toBeCloseTo(2, 12);
    const e = estimateCellSeconds(cell, strategy({ needs: new Set(['committeeProbs']) }), sizes, { ...speeds, query: q });
    expect(e).toMatchObject({ queryTraining: 0, scoring: 0, query: 4 });
  });
  it('every registered strategy that trains models at query time declares them', () => {
    for (const name of STRATEGY_NAMES) {
      const s = createStrategy(name);
      if (s.needs.has('trainModel')) expect(s.queryTrainings?.length, name).toBeGreaterThan(0);
    }
  });
});

describe('studyWallSeconds: one-time work counted once', () => {
  it('an encoder shared by many cells adds its seconds once to the CPU-time bound', () => {
    // 4 cells of 10 s, one encoder of 6 s needed by cells 2 and 3, 2 workers: (40 + 6) / 2 = 23;
    // the chain 6 + 10 = 16 is shorter. Counted per needing cell it would be (40 + 12) / 2 = 26.
    expect(studyWallSeconds([10, 10, 10, 10], [{ seconds: 6, cells: [2, 3] }], 2)).toEqual({ seconds: 23, bound: 'cpu' });
  });
  it('cached encoders (0 s) cost nothing', () => {
    expect(studyWallSeconds([10, 10], [{ seconds: 0, cells: [0, 1] }], 2)).toEqual({ seconds: 10, bound: 'cpu' });
  });
  it('a long pretraining before its cells bounds the run (the cells wait for it)', () => {
    // CPU bound (4 + 100) / 2 = 52; chain: 100 s of pretraining, then the 2 s cell that needs it.
    expect(studyWallSeconds([2, 2], [{ seconds: 100, cells: [1] }], 2)).toEqual({ seconds: 102, bound: 'chain' });
  });
  it('workers beyond the number of cells do not help', () => {
    // 3 cells of 10 s + 2 encoders of 5 s on 64 workers: CPU bound 40 / 3 ≈ 13.3; chain 5 + 10 = 15.
    expect(studyWallSeconds([10, 10, 10], [{ seconds: 5, cells: [0] }, { seconds: 5, cells: [1, 2] }], 64)).toEqual({ seconds: 15, bound: 'chain' });
  });
});

describe('tuneSeconds: the grid once per seed and setting', () => {
  it('candidates × folds fits on (k − 1)/k of the initial set', () => {
    // 2 learning rates × 1 weight decay × 3 folds = 6 fits on floor(10 · 2/3) = 6 rows; 2 epochs at
    // batch 8: one step an epoch → 1 + (0.5 · 1 + 0.01 · 6) · 2 = 2.12 s a fit, 12.72 s in all.
    const tuned = { ...cell, training: { ...cell.training, tune: { learningRate: [1e-3, 1e-2], weightDecay: [0], folds: 3 } } };
    expect(tuneSeconds(tuned, speeds.round)).toBeCloseTo(12.72, 12);
    expect(tuneSeconds(cell, speeds.round)).toBe(0);
  });
});
