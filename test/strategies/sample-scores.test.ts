/**
 * Golden values for the stacked-distribution scores (MC dropout and committees). Every expected
 * value is a hand computation from the definitions in the issue, written next to it.
 */
import { describe, expect, it } from 'vitest';
import { scoring, selection } from '../../src/strategies/scoring.js';
import { baldScores, klToMeanScores } from '../../src/strategies/sample-scores.js';
import { createRng } from '../../src/rng.js';

const LN2 = Math.log(2);

// T = 2 passes (or K = 2 members), n = 2 rows, C = 2 classes.
// Row 0: the passes disagree completely ([1,0] vs [0,1]); row 1: both are uniform.
const stack = [
  [
    [1, 0],
    [0.5, 0.5],
  ],
  [
    [0, 1],
    [0.5, 0.5],
  ],
];

// One row, passes [0.9, 0.1] and [0.3, 0.7]; mean [0.6, 0.4].
const soft = [[[0.9, 0.1]], [[0.3, 0.7]]];

function close(actual: number[], expected: number[]) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
}

describe('MC-dropout scores', () => {
  it('bald = H(mean) − mean H', () => {
    // Row 0: H([.5,.5]) − 0 = ln 2. Row 1: ln 2 − ln 2 = 0.
    close(scoring.bald(stack), [LN2, 0]);
    // H([.6,.4]) = 0.6730117; H([.9,.1]) = 0.3250830, H([.3,.7]) = 0.6108643 → 0.6730117 − 0.4679737.
    close(scoring.bald(soft), [0.2050380]);
  });

  it('variation ratio = 1 − modal votes / T (argmax ties go to the first class)', () => {
    // Row 0: votes {0: 1, 1: 1} → 1 − 1/2. Row 1: both argmax 0 → 0.
    close(scoring.variationRatio(stack), [0.5, 0]);
  });

  it('mean STD = mean_c sqrt(E[p²] − E[p]²)', () => {
    // Row 0, class 0: E[p²] = .5, E[p]² = .25 → .5; class 1 the same. Row 1: 0.
    close(scoring.meanStd(stack), [0.5, 0]);
    // Class 0: (.81+.09)/2 − .36 = .09 → .3; class 1: (.01+.49)/2 − .16 = .09 → .3.
    close(scoring.meanStd(soft), [0.3]);
  });

  it('max entropy = H(mean)', () => {
    close(scoring.maxEntropy(stack), [LN2, LN2]);
    close(scoring.maxEntropy(soft), [0.6730117]);
  });
});

describe('committee scores', () => {
  it('vote entropy = H(votes / K)', () => {
    // Row 0: votes [.5,.5] → ln 2; row 1: [1, 0] → 0.
    close(scoring.voteEntropy(stack), [LN2, 0]);
  });

  it('consensus entropy = H(mean_k p_k)', () => {
    close(scoring.consensusEntropy(stack), [LN2, LN2]);
  });

  it('KL = mean_k KL(p_k ‖ mean)', () => {
    // Row 0: KL([1,0] ‖ [.5,.5]) = ln 2 for each member. Row 1: 0.
    close(scoring.klDivergence(stack), [LN2, 0]);
    // .9 ln(.9/.6) + .1 ln(.1/.4) = 0.2262889; .3 ln(.3/.6) + .7 ln(.7/.4) = 0.1837871; mean 0.2050380.
    close(scoring.klDivergence(soft), [0.2050380]);
  });

  it('mean KL to the mean equals BALD (both are the Jensen–Shannon divergence of the stack)', () => {
    const rng = createRng('jsd');
    const T = 4;
    const n = 30;
    const C = 5;
    const data = new Float32Array(T * n * C);
    for (let r = 0; r < T * n; r++) {
      const raw = Array.from({ length: C }, () => rng.next() + 0.01);
      const sum = raw.reduce((a, b) => a + b, 0);
      data.set(raw.map((v) => v / sum), r * C);
    }
    const a = baldScores({ data, samples: T, numClasses: C });
    const b = klToMeanScores({ data, samples: T, numClasses: C });
    for (let i = 0; i < n; i++) expect(a[i]).toBeCloseTo(b[i], 5);
  });

  it('rejects ragged input, naming the slice', () => {
    expect(() => scoring.bald([[[0.5, 0.5]], [[0.5, 0.5], [1, 0]]])).toThrow(/mc\[1\] has 2 rows, expected 1/);
  });
});

describe('selection.kCenterGreedy', () => {
  it('picks the farthest point from labelled + picks, in order (hand-worked on a line)', () => {
    // Distances from 0: 1, 2, 10, 11 → pick 11 (row 4); then to {0, 11}: 1, 2, 1 → pick 2 (row 2).
    expect(selection.kCenterGreedy([[0], [1], [2], [10], [11]], [0], 2)).toEqual([4, 2]);
  });

  it('breaks ties at the lowest index', () => {
    expect(selection.kCenterGreedy([[0], [1], [-1]], [0], 1)).toEqual([1]);
    // No labelled point: every distance is infinite, so the first pick is row 0.
    expect(selection.kCenterGreedy([[5], [1], [-1]], [], 2)).toEqual([0, 2]);
  });

  it('uses Euclidean distance in several dimensions', () => {
    // From (0,0): (3,4) is at 5, (4.5,0) at 4.5, (0,4.9) at 4.9.
    expect(selection.kCenterGreedy([[0, 0], [4.5, 0], [3, 4], [0, 4.9]], [0], 1)).toEqual([2]);
  });
});
