/**
 * Label dispersion (Zolfaghari Bengar et al., CAIP 2021): 1 − (count of the modal predicted label
 * over the recorded epochs) / epochs. Expected values are hand-computed from a hand-made table of
 * per-epoch predictions.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { scoring } from '../../src/strategies/scoring.js';
import { labelDispersionScores, labelDispersionStrategy } from '../../src/strategies/label-dispersion.js';
import { PoolExhaustedError, type SelectionContext } from '../../src/strategies/strategy.js';

// Predicted labels, epochs × pool rows (3 classes). Row 0 never changes its mind; row 1 says 0 in
// three of five epochs; row 2 says 1 twice, 2 twice and 0 once.
const LABELS = [
  [0, 0, 1],
  [0, 1, 2],
  [0, 0, 1],
  [0, 2, 2],
  [0, 0, 0],
];
const EPOCHS = LABELS.length;
const POOL = 3;
const CLASSES = 3;

/** Softmax-like rows whose argmax is the table's label (0.6 on it, 0.2 elsewhere). */
function epochProbs(): Float32Array {
  const out = new Float32Array(EPOCHS * POOL * CLASSES).fill(0.2);
  LABELS.forEach((row, e) => row.forEach((y, i) => (out[(e * POOL + i) * CLASSES + y] = 0.6)));
  return out;
}

describe('label dispersion', () => {
  it('scores a hand-made epoch table: 1 − modal count / epochs', () => {
    // Hand computation: row 0: 1 − 5/5 = 0; row 1: 1 − 3/5 = 0.4; row 2: 1 − 2/5 = 0.6.
    const scores = Array.from(labelDispersionScores(epochProbs(), EPOCHS, CLASSES));
    expect(scores[0]).toBe(0);
    expect(scores[1]).toBeCloseTo(0.4, 6);
    expect(scores[2]).toBeCloseTo(0.6, 6);
  });

  it('is exposed in the public scoring API over plain arrays', () => {
    const stack = LABELS.map((row) => row.map((y) => [0, 1, 2].map((c) => (c === y ? 0.6 : 0.2))));
    const scores = scoring.labelDispersion(stack);
    expect(scores[0]).toBe(0);
    expect(scores[1]).toBeCloseTo(0.4, 6);
    expect(scores[2]).toBeCloseTo(0.6, 6);
  });

  it('queries the most dispersed rows first and throws beyond the pool', async () => {
    const ctx: SelectionContext = {
      round: 0,
      numClasses: CLASSES,
      pool: Int32Array.from([10, 20, 30]),
      labeled: Int32Array.from([1, 2]),
      epochProbs: { epochs: EPOCHS, data: epochProbs() },
    };
    expect((await labelDispersionStrategy.select(ctx, 2, createRng(0))).indices).toEqual([30, 20]);
    await expect(labelDispersionStrategy.select(ctx, 4, createRng(0))).rejects.toBeInstanceOf(PoolExhaustedError);
  });

  it('says which need is missing when the loop trained without the hook', async () => {
    const ctx: SelectionContext = { round: 0, numClasses: 3, pool: Int32Array.from([1]), labeled: new Int32Array(0) };
    await expect(labelDispersionStrategy.select(ctx, 1, createRng(0))).rejects.toThrow(/needs 'epochProbs'/);
  });
});
