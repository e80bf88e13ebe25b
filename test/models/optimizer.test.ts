// The recipe's optimizers and schedule against PyTorch 1.13: every expected θ below is printed by
// `/usr/bin/python3 scripts/optimizer-reference.py` (torch.optim.SGD / AdamW / Adam + LambdaLR, in
// float64). Problem: one 2×2 kernel θ, loss = ½·Σ a·θ² + Σ b·θ.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';

import { initBackend } from '../../src/backend/index.js';
import { createOptimizer } from '../../src/models/optimizer.js';
import { scheduleFactor } from '../../src/models/recipe.js';
import type { TrainingConfig } from '../../src/spec/types.js';

const A = [1, 2, 0.5, 3];
const B = [0.1, -0.2, 0.3, 0];
const THETA0 = [0.5, -1, 2, 0.25];
let unique = 0;

/** θ after each of `steps` steps of the recipe, with the schedule applied as train-loop.ts does. */
function optimize(config: TrainingConfig, steps: number): number[][] {
  // tidy frees the initial tensor; the variable outlives it.
  const theta = tf.tidy(() => tf.variable(tf.tensor2d(THETA0, [2, 2]), true, `opt-test-${unique++}`));
  const a = tf.tensor2d(A, [2, 2]);
  const b = tf.tensor2d(B, [2, 2]);
  const opt = createOptimizer(config, [theta]);
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    opt.setLearningRate(config.learningRate * scheduleFactor(config, s, steps));
    tf.tidy(() => {
      opt.step(() => tf.add(tf.mul(0.5, tf.sum(tf.mul(a, tf.square(theta)))), tf.sum(tf.mul(b, theta))) as tf.Scalar, [theta]);
    });
    out.push(Array.from(theta.dataSync()));
  }
  opt.dispose();
  tf.dispose([theta, a, b]);
  return out;
}

function expectClose(got: number[][], want: number[][], digits = 5): void {
  expect(got).toHaveLength(want.length);
  got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], digits)));
}

const base = { epochs: 1, batchSize: 1 };

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`recipe optimizers on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    it('SGD with Nesterov momentum and L2 weight decay = torch.optim.SGD(nesterov=True, weight_decay=0.01)', () => {
      const got = optimize({ ...base, learningRate: 0.1, optimizer: { name: 'sgd', momentum: 0.9, nesterov: true }, weightDecay: 0.01 }, 3);
      expectClose(got, [
        [0.38505, -0.5801, 1.7492, 0.107025],
        [0.243153905, -0.14154981, 1.41578252, -0.0151350975],
        [0.0937872301, 0.2222631434, 1.0288057418, -0.0874303505],
      ]);
    });

    it('SGD with heavy-ball momentum = torch.optim.SGD(momentum=0.9)', () => {
      const got = optimize({ ...base, learningRate: 0.1, optimizer: { name: 'sgd', momentum: 0.9, nesterov: false } }, 3);
      expectClose(got, [
        [0.44, -0.78, 1.87, 0.175],
        [0.332, -0.406, 1.6295, 0.055],
        [0.1916, 0.0318, 1.301575, -0.0695],
      ]);
    });

    it('Adam with decoupled weight decay = torch.optim.AdamW(lr=0.01, weight_decay=0.1, eps=1e-7)', () => {
      const got = optimize({ ...base, learningRate: 0.01, weightDecay: 0.1 }, 3);
      expectClose(got, [
        [0.4895000017, -0.9890000005, 1.9880000008, 0.2397500013],
        [0.4790154945, -0.9780137468, 1.9760132341, 0.2295233505],
        [0.4685498951, -0.967043083, 1.9640405114, 0.2193295383],
      ]);
    });

    it('Adam under a cosine schedule with 2 warm-up steps = torch Adam + LambdaLR (stepped after each step)', () => {
      const got = optimize({ ...base, learningRate: 0.1, schedule: 'cosine', warmupSteps: 2 }, 6);
      expectClose(got, [
        [0.5, -1.0, 2.0, 0.25],
        [0.4500000083, -0.9500000023, 1.9500000038, 0.2000000067],
        [0.3503842519, -0.8501867365, 1.8500725672, 0.1012601104],
        [0.266572457, -0.7655141868, 1.7649639297, 0.0222674166],
        [0.2185997677, -0.7163622046, 1.7152583145, -0.0182391937],
        [0.2049008103, -0.7020994214, 1.7007434092, -0.0281218054],
      ]);
    });

    it('leaks no tensors', () => {
      // Warm-up of both paths: kernels and backend scalars are created once.
      optimize({ ...base, learningRate: 0.1, optimizer: { name: 'sgd', momentum: 0.9, nesterov: true }, weightDecay: 0.01 }, 2);
      optimize({ ...base, learningRate: 0.01, weightDecay: 0.1, schedule: 'cosine' }, 2);
      const before = tf.memory().numTensors;
      optimize({ ...base, learningRate: 0.1, optimizer: { name: 'sgd', momentum: 0.9, nesterov: true }, weightDecay: 0.01 }, 3);
      optimize({ ...base, learningRate: 0.01, weightDecay: 0.1, schedule: 'cosine' }, 3);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}

describe('scheduleFactor', () => {
  it('is the get_cosine_schedule_with_warmup multiplier (printed by scripts/optimizer-reference.py)', () => {
    const got = Array.from({ length: 6 }, (_, s) => scheduleFactor({ schedule: 'cosine', warmupSteps: 2 }, s, 6));
    [0.0, 0.5, 1.0, 0.8535533906, 0.5, 0.1464466094].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 9));
    expect(scheduleFactor({}, 5, 6)).toBe(1);
    expect(scheduleFactor({ warmupSteps: 4 }, 1, 6)).toBe(0.25);
  });
});
