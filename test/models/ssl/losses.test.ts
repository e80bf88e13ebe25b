import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/index.js';
import { confidenceMask, consistencyLoss, emaDecay, emaUpdate, pseudoLabelLoss } from '../../../src/models/ssl/losses.js';
import { poolPseudoLabelStats } from '../../../src/models/ssl/pool-stats.js';
import { linearRamp, sigmoidRampUp } from '../../../src/models/ssl/ramps.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const value = async (t: tf.Tensor) => {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
};

describe('FixMatch / pseudo-label term on hand-built probabilities', () => {
  // Weak-view probabilities: row 0 and row 2 clear τ = 0.95, row 1 does not.
  const weak = [
    [0.96, 0.02, 0.02],
    [0.5, 0.3, 0.2],
    [0.01, 0.97, 0.02],
  ];
  // Strong-view student logits = log of these probabilities, so softmax(logits) gives them back.
  const strong = [
    [0.5, 0.25, 0.25],
    [0.1, 0.1, 0.8],
    [0.2, 0.6, 0.2],
  ];

  it('masks rows whose largest probability is below τ', async () => {
    expect(await value(tf.tidy(() => confidenceMask(tf.tensor2d(weak), 0.95)))).toEqual([1, 0, 1]);
    expect(await value(tf.tidy(() => confidenceMask(tf.tensor2d(weak), 0.5)))).toEqual([1, 1, 1]);
  });

  it('is the masked cross-entropy of the argmax targets, averaged over all unlabelled rows', async () => {
    const [loss] = await value(tf.tidy(() => pseudoLabelLoss(tf.tensor2d(weak), tf.log(tf.tensor2d(strong)) as tf.Tensor2D, 0.95)));
    // Row 0: target class 0, p = 0.5; row 2: target class 1, p = 0.6; row 1 masked. Divided by n = 3.
    expect(loss).toBeCloseTo((-Math.log(0.5) - Math.log(0.6)) / 3, 5);
    const [none] = await value(tf.tidy(() => pseudoLabelLoss(tf.tensor2d(weak), tf.log(tf.tensor2d(strong)) as tf.Tensor2D, 0.99)));
    expect(none).toBe(0);
  });
});

describe('mean teacher', () => {
  it('consistency is the mean squared softmax difference', async () => {
    const [loss] = await value(tf.tidy(() => consistencyLoss(tf.log(tf.tensor2d([[0.5, 0.5]])) as tf.Tensor2D, tf.tensor2d([[1, 0]]))));
    expect(loss).toBeCloseTo(0.25, 6); // ((0.5 − 1)² + 0.5²) / 2
  });

  it('EMA: teacher ← α·teacher + (1 − α)·student, with α ramping as min(1 − 1/(t+1), α_max)', async () => {
    const teacher = tf.variable(tf.tensor1d([1, 2]));
    const student = tf.tensor1d([3, 4]);
    emaUpdate([teacher], [student], 0.9);
    const got = Array.from(await teacher.data());
    expect(got[0]).toBeCloseTo(1.2, 6);
    expect(got[1]).toBeCloseTo(2.2, 6);
    emaUpdate([teacher], [student], emaDecay(0, 0.99)); // α = 0: the teacher becomes the student
    expect(Array.from(await teacher.data())).toEqual([3, 4]);
    expect(emaDecay(1, 0.99)).toBe(0.5);
    expect(emaDecay(9, 0.99)).toBeCloseTo(0.9, 12);
    expect(emaDecay(10_000, 0.99)).toBe(0.99);
    expect(() => emaUpdate([teacher], [], 0.5)).toThrow(/1 teacher variables but 0 student tensors/);
    teacher.dispose();
    student.dispose();
  });
});

describe('ramps', () => {
  it("Lee 2013's α(t): 0 before T1, linear to α_f at T2, flat after", () => {
    expect(linearRamp(0.1, 0.2, 0.6, 3)).toBe(0);
    expect(linearRamp(0.4, 0.2, 0.6, 3)).toBeCloseTo(1.5, 12);
    expect(linearRamp(0.9, 0.2, 0.6, 3)).toBe(3);
  });

  it('sigmoid ramp-up: w·exp(−5(1 − t/L)²), w after L', () => {
    expect(sigmoidRampUp(0, 0.4, 10)).toBeCloseTo(10 * Math.exp(-5), 12);
    expect(sigmoidRampUp(0.2, 0.4, 10)).toBeCloseTo(10 * Math.exp(-1.25), 12);
    expect(sigmoidRampUp(0.5, 0.4, 10)).toBe(10);
    expect(sigmoidRampUp(0, 0, 10)).toBe(10);
  });
});

describe('pool statistics (harness only)', () => {
  it('fraction above threshold and the accuracy of those pseudo-labels', () => {
    const probs = Float32Array.from([0.96, 0.04, 0.5, 0.5, 0.01, 0.99, 0.97, 0.03]);
    const stats = poolPseudoLabelStats(probs, [0, 1, 1, 1], 2, 0.95);
    // Rows 0, 2, 3 are confident (argmax 0, 1, 0); rows 0 and 2 are right.
    expect(stats).toEqual({ threshold: 0.95, poolSize: 4, fractionAboveThreshold: 0.75, pseudoLabelAccuracy: 2 / 3 });
    expect(poolPseudoLabelStats(probs, [0, 1, 1, 1], 2, 0.999).pseudoLabelAccuracy).toBeNull();
  });
});
