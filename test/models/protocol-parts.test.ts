import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { carveValidation, EarlyStopper, validationLoss } from '../../src/models/protocol/early-stopping.js';
import { swaFirstEpoch, WeightAverage } from '../../src/models/protocol/swa.js';
import { decayedVariables } from '../../src/models/optimizer.js';
import { createRng } from '../../src/rng.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('early stopping', () => {
  it('carves ⌈fraction·n⌉ labelled rows, disjoint from training, reproducibly', () => {
    const labeled = Int32Array.from([5, 9, 12, 40, 41, 77, 80]);
    const a = carveValidation(labeled, 0.3, createRng('v'));
    expect(a.validation).toHaveLength(3);
    expect([...a.validation, ...a.training].sort((x, y) => x - y)).toEqual(Array.from(labeled));
    expect(carveValidation(labeled, 0.3, createRng('v'))).toEqual(a);
    expect(() => carveValidation(Int32Array.from([1]), 0.2, createRng('v'))).toThrow(/leaves no training row from 1 labelled/);
  });

  it('validation loss is the mean cross-entropy; the stopper keeps the lowest and waits `patience` epochs', () => {
    expect(validationLoss(Float32Array.from([0.5, 0.5, 0.25, 0.75]), [0, 1], 2)).toBeCloseTo((-Math.log(0.5) - Math.log(0.75)) / 2, 10);
    const s = new EarlyStopper(2);
    expect(s.improved(0, 1.0)).toBe(true);
    expect(s.improved(1, 0.8)).toBe(true);
    expect(s.improved(2, 0.9)).toBe(false);
    expect(s.shouldStop(2)).toBe(false);
    expect(s.improved(3, 0.8)).toBe(false); // equal is not better
    expect(s.shouldStop(3)).toBe(true);
    expect([s.bestEpoch, s.bestLoss]).toEqual([1, 0.8]);
  });
});

describe('SWA', () => {
  it('is the equal-weight mean of the snapshots, from ⌊swaStart·epochs⌋ on', async () => {
    const avg = new WeightAverage();
    for (const v of [1, 2, 6]) {
      const w = [tf.tensor1d([v, -v])];
      avg.add(w);
      tf.dispose(w);
    }
    expect(avg.snapshots).toBe(3);
    expect(Array.from(await avg.weights![0].data())).toEqual([3, -3]);
    avg.dispose();
    expect(swaFirstEpoch(10, 0.75)).toBe(7);
    expect(swaFirstEpoch(10, 1)).toBe(9); // at least the last epoch
  });
});

describe('weight decay', () => {
  // The update itself is checked against torch.optim.AdamW / SGD in test/models/optimizer.test.ts.
  it('applies to kernels only', () => {
    const kernel = tf.variable(tf.tensor2d([[2, 4]]));
    const bias = tf.variable(tf.tensor1d([2]));
    expect(decayedVariables([kernel, bias])).toEqual([kernel]);
    kernel.dispose();
    bias.dispose();
  });
});
