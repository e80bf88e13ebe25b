import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/rng.js';
import { selectTopK } from '../../src/strategies/select.js';
import { PoolExhaustedError } from '../../src/strategies/strategy.js';
import { scoring } from '../../src/strategies/scoring.js';
import { entropyScores, leastConfidenceScores, marginScores } from '../../src/strategies/uncertainty-scores.js';

// Rows: confident, uniform, two-way tie. Expected values worked by hand from the definitions
// (ln 3 = 1.0986123, −(0.5 ln 0.5)·2 = ln 2 = 0.6931472, −(0.8 ln 0.8 + 2·0.1 ln 0.1) = 0.6390319).
const probs = [
  [0.8, 0.1, 0.1],
  [1 / 3, 1 / 3, 1 / 3],
  [0.5, 0.5, 0],
];

describe('uncertainty scores on a 3×3 array', () => {
  it('least confidence = 1 − max p', () => {
    expectClose(scoring.leastConfidence(probs), [0.2, 2 / 3, 0.5]);
  });

  it('margin = 1 − (p1 − p2)', () => {
    expectClose(scoring.margin(probs), [1 - 0.7, 1, 1]);
  });

  it('entropy = −Σ p ln p, natural log, 0 ln 0 = 0', () => {
    expectClose(scoring.entropy(probs), [0.6390319, Math.log(3), Math.log(2)]);
  });

  it('typed-array versions agree with the plain-array ones', () => {
    const flat = Float32Array.from(probs.flat());
    expectClose(Array.from(entropyScores(flat, 3)), scoring.entropy(probs));
    expectClose(Array.from(marginScores(flat, 3)), scoring.margin(probs));
    expectClose(Array.from(leastConfidenceScores(flat, 3)), scoring.leastConfidence(probs));
  });

  it('rejects ragged input', () => {
    expect(() => entropyScores(new Float32Array(5), 3)).toThrow(/whole number of rows/);
    expect(() => scoring.margin([[0.5, 0.5], [1]])).toThrow(/row 1/);
  });
});

describe('selectTopK', () => {
  it('returns the positions of the k highest scores, highest first', () => {
    expect(selectTopK([0.1, 0.9, 0.5, 0.7], 3, createRng(0))).toEqual([1, 3, 2]);
  });

  it('breaks ties with the rng, deterministically per seed', () => {
    const ties = new Array(20).fill(1);
    const a = selectTopK(ties, 5, createRng(1));
    expect(selectTopK(ties, 5, createRng(1))).toEqual(a);
    const firstPicks = new Set(Array.from({ length: 20 }, (_, s) => selectTopK(ties, 1, createRng(s))[0]));
    expect(firstPicks.size).toBeGreaterThan(5); // not always the lowest index
  });

  it('selects exactly what the sort-based definition selects (committed results depend on it)', () => {
    // The original implementation, kept here as the specification: a stable sort of a random
    // permutation of the positions by descending score.
    const bySort = (scores: number[], k: number, seed: number) => {
      const order = Array.from(createRng(seed).permutation(scores.length));
      order.sort((a, b) => scores[b] - scores[a]);
      return order.slice(0, k);
    };
    const rng = createRng(99);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + rng.int(60);
      // Few distinct values (many ties), ±0 and infinities among them.
      const values = [0, -0, 0.25, 0.5, 1, Infinity, -Infinity];
      const scores = Array.from({ length: n }, () => values[rng.int(values.length)] + (rng.next() < 0.3 ? rng.next() : 0));
      const k = rng.int(n + 1);
      expect(selectTopK(scores, k, createRng(trial)), `trial ${trial}`).toEqual(bySort(scores, k, trial));
    }
  });

  it('throws PoolExhaustedError when asked for more than the pool holds', () => {
    expect(() => selectTopK([1, 2], 3, createRng(0))).toThrow(PoolExhaustedError);
    expect(() => selectTopK([1, NaN], 1, createRng(0))).toThrow(/NaN/);
  });
});

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
}
