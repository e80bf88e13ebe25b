// The round's length and schedule (models/recipe.ts) and the extended loop running them
// (steps, minSteps, until, SGD, cosine), on every backend; expected step counts by hand.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { nativeKernelsMissing } from '../../src/backend/native-kernels.js';
import { gatherRows } from '../../src/loop/needs.js';
import { trainRound } from '../../src/models/protocol/index.js';
import { roundExamplePasses, roundPlan, scaledTraining } from '../../src/models/recipe.js';
import { trainModel } from '../../src/models/train.js';
import { createModel } from '../../src/models/zoo.js';
import { createRng } from '../../src/rng.js';
import type { TrainingConfig } from '../../src/spec/types.js';
import { tinyCell } from '../helpers/tiny-cell.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const data = tinyDataset({ train: 40, test: 12 });
const labeled = Int32Array.from({ length: 20 }, (_, i) => i);

describe('roundPlan', () => {
  it('epochs, minSteps, steps and until give the lengths worked out by hand (20 rows, batch 8: 3 steps an epoch)', () => {
    const t = { batchSize: 8, learningRate: 0.01 };
    expect(roundPlan({ ...t, epochs: 3 }, 20)).toEqual({ stepsPerEpoch: 3, maxEpochs: 3, totalSteps: 9 });
    expect(roundPlan({ ...t, epochs: 3, minSteps: 20 }, 20)).toEqual({ stepsPerEpoch: 3, maxEpochs: 7, totalSteps: 21 });
    expect(roundPlan({ ...t, epochs: 3, minSteps: 5 }, 20)).toEqual({ stepsPerEpoch: 3, maxEpochs: 3, totalSteps: 9 });
    expect(roundPlan({ ...t, steps: 10 }, 20)).toEqual({ stepsPerEpoch: 3, maxEpochs: 4, totalSteps: 10 });
    expect(roundPlan({ ...t, until: { trainAccuracy: 0.99, maxEpochs: 50 } }, 20)).toEqual({ stepsPerEpoch: 3, maxEpochs: 50, totalSteps: 150 });
    // Cost: steps × min(batch, n) example-passes; epochs × n otherwise.
    expect(roundExamplePasses({ ...t, steps: 10 }, 5)).toBe(50);
    expect(roundExamplePasses({ ...t, epochs: 3 }, 20)).toBe(60);
  });

  it('scales an auxiliary model\'s recipe: epochs of plain configs as before, steps of steps-based ones', () => {
    const plain: TrainingConfig = { epochs: 30, batchSize: 32, learningRate: 0.001 };
    expect(scaledTraining(plain, 0.5)).toEqual({ ...plain, epochs: 15 });
    expect(scaledTraining({ steps: 300, batchSize: 32, learningRate: 0.001, schedule: 'cosine' }, 0.5)).toEqual({ steps: 150, batchSize: 32, learningRate: 0.001, schedule: 'cosine' });
    expect(scaledTraining({ steps: 300, batchSize: 32, learningRate: 0.001, schedule: 'cosine' }, 1, 4)).toEqual({ epochs: 4, batchSize: 32, learningRate: 0.001, schedule: 'cosine' });
  });
});

const backends = ['wasm', 'cpu', ...(nativeKernelsMissing() === undefined ? ['wasm-native' as const] : [])] as const;

for (const backend of backends) {
  describe(`the extended loop on ${backend}`, () => {
    /** One round of a tiny cell with `training`; its record and the first kernel's values. */
    async function round(training: TrainingConfig) {
      await initBackend(backend);
      const cell = tinyCell({ training });
      const rng = createRng(cell.seed);
      const model = createModel({ name: 'mlp', inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
      const initialWeights = model.getWeights().map((w) => w.clone());
      try {
        const record = await trainRound({ cell, data, model, initialWeights, round: 0, labeled, rng });
        return { record, weights: Array.from(await model.getWeights()[0].data()) };
      } finally {
        tf.dispose(initialWeights);
        model.dispose();
      }
    }

    it('takes exactly the recipe\'s steps (mid-epoch stop under steps), reproducibly', async () => {
      const steps = await round({ steps: 10, batchSize: 8, learningRate: 0.01, schedule: 'cosine', warmupSteps: 2 });
      expect(steps.record.steps).toBe(10);
      expect((await round({ steps: 10, batchSize: 8, learningRate: 0.01, schedule: 'cosine', warmupSteps: 2 })).weights).toEqual(steps.weights);
      expect((await round({ epochs: 2, minSteps: 20, batchSize: 8, learningRate: 0.01 })).record.steps).toBe(21);
      const sgd = await round({ steps: 30, batchSize: 8, learningRate: 0.1, optimizer: { name: 'sgd', momentum: 0.9, nesterov: true }, weightDecay: 5e-4 });
      expect(sgd.record.steps).toBe(30);
      expect(sgd.record.trainAccuracy).toBeGreaterThan(0.8);
    });

    it('until stops at the first epoch whose training accuracy reaches the level', async () => {
      const until = await round({ until: { trainAccuracy: 0.99, maxEpochs: 100 }, batchSize: 8, learningRate: 0.05 });
      expect(until.record.trainAccuracy).toBeGreaterThanOrEqual(0.99);
      expect(until.record.steps! % 3).toBe(0); // whole epochs
      expect(until.record.steps!).toBeLessThan(100 * 3);
      // One epoch fewer than it took: below the level (so it did not stop late).
      const epochs = until.record.steps! / 3;
      if (epochs > 1) expect((await round({ epochs: epochs - 1, batchSize: 8, learningRate: 0.05, minSteps: 1 })).record.trainAccuracy).toBeLessThan(0.99);
      // An unreachable level runs maxEpochs.
      expect((await round({ until: { trainAccuracy: 1, maxEpochs: 4 }, batchSize: 8, learningRate: 1e-6 })).record.steps).toBe(12);
    });

    it('trainModel runs non-plain recipes through the same loop (auxiliary models get the recipe)', async () => {
      await initBackend(backend);
      const rng = createRng(0);
      const model = createModel({ name: 'mlp', inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
      const loss = await trainModel(model, gatherRows(data, labeled), { steps: 12, batchSize: 8, learningRate: 0.01, schedule: 'cosine' }, (e) => rng.fork('shuffle', e));
      expect(Number.isFinite(loss)).toBe(true);
      model.dispose();
    });

    it('leaks no tensors', async () => {
      const recipes: TrainingConfig[] = [
        { steps: 7, batchSize: 8, learningRate: 0.01, schedule: 'cosine', warmupSteps: 2, weightDecay: 0.01 },
        { steps: 7, batchSize: 8, learningRate: 0.05, optimizer: { name: 'sgd', momentum: 0.9, nesterov: true }, weightDecay: 0.01 },
        { until: { trainAccuracy: 0.99, maxEpochs: 3 }, batchSize: 8, learningRate: 0.01 },
      ];
      for (const r of recipes) await round(r);
      const before = tf.memory().numTensors;
      for (const r of recipes) await round(r);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
