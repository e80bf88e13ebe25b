import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from '../../src/models/evaluate.js';

describe('evaluatePredictions', () => {
  it('matches scikit-learn on a small example', () => {
    // y_true = [0,0,1,1,2], y_pred = [0,1,1,1,0]:
    // sklearn accuracy_score = 0.6; f1_score(average='macro') = (0.5 + 0.8 + 0) / 3 = 0.4333…
    const onehot = (c: number) => [0, 1, 2].map((k) => (k === c ? 0.9 : 0.05));
    const probs = Float32Array.from([0, 1, 1, 1, 0].flatMap(onehot));
    const m = evaluatePredictions(probs, Int32Array.from([0, 0, 1, 1, 2]), 3);
    expect(m.accuracy).toBeCloseTo(0.6, 10);
    expect(m.macroF1).toBeCloseTo(1.3 / 3, 10);
  });

  it('leaves out classes absent from both labels and predictions', () => {
    const probs = Float32Array.from([1, 0, 0, 0, 1, 0]);
    expect(evaluatePredictions(probs, Int32Array.from([0, 1]), 3).macroF1).toBe(1);
  });
});
