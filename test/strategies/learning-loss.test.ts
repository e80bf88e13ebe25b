/**
 * Learning loss (Yoo & Kweon, CVPR 2019). Expected values of the ranking loss are hand-computed on
 * hand-built pairs (worked out in the comments); the module and the joint training are checked by
 * properties that can fail: shapes of the taps, and that the stop-gradient epoch really cuts the
 * module off from the backbone.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { gatherRows } from '../../src/loop/needs.js';
import { tapShapes } from '../../src/models/joint.js';
import { trainLoop } from '../../src/models/protocol/train-loop.js';
import { createModel } from '../../src/models/zoo.js';
import { createRng } from '../../src/rng.js';
import { learningLossStrategy, lossPredictionModule, marginRankingLoss, marginRankingLossTensor } from '../../src/strategies/learning-loss.js';
import { PoolExhaustedError, type SelectionContext } from '../../src/strategies/strategy.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

beforeAll(async () => {
  await initBackend('wasm');
});

// B = 4: pairs (0, 3) and (1, 2).
//   (0, 3): l₀ = 0.3 < l₃ = 0.8 → 𝟙 = −1; l̂₀ − l̂₃ = 0.2 − 0.9 = −0.7 → max(0, −0.7 + 1) = 0.3
//   (1, 2): l₁ = 2.0 > l₂ = 1.1 → 𝟙 = +1; l̂₁ − l̂₂ = 1.5 − 0.4 = 1.1  → max(0, −1.1 + 1) = 0
//   mean over 2 pairs = 0.15; gradient: only (0, 3) is active, ∂/∂l̂₀ = +1/2, ∂/∂l̂₃ = −1/2.
const PRED = [0.2, 1.5, 0.4, 0.9];
const TARGET = [0.3, 2.0, 1.1, 0.8];
// B = 5 with ties: pairs (0, 4) and (1, 3); row 2 is the odd one out and takes no part.
//   (0, 4): tie → 𝟙 = −1; l̂₀ − l̂₄ = 0 → 1;   (1, 3): tie → −1; l̂₁ − l̂₃ = −0.5 → 0.5;   mean 0.75
const PRED_ODD = [0, 0, 7, 0.5, 0];
const TARGET_ODD = [1, 1, 9, 1, 1];

describe('margin ranking loss', () => {
  it('matches the hand computation on hand-built pairs (ξ = 1)', () => {
    expect(marginRankingLoss(PRED, TARGET, 1)).toBeCloseTo(0.15, 10);
    expect(marginRankingLoss(PRED_ODD, TARGET_ODD, 1)).toBeCloseTo(0.75, 10);
    expect(marginRankingLoss([5], [1], 1)).toBe(0);
    // ξ = 0: both pairs are ordered like their losses, so nothing is left once the margin goes.
    expect(marginRankingLoss(PRED, TARGET, 0)).toBe(0);
    // Swapping l̂₁ and l̂₂ orders pair (1, 2) wrongly: l₁ > l₂ but l̂₁ − l̂₂ = −1.1 → 1.1; mean 0.55.
    expect(marginRankingLoss([0.2, 0.4, 1.5, 0.9], TARGET, 0)).toBeCloseTo(0.55, 10);
    expect(() => marginRankingLoss([1, 2], [1], 1)).toThrow(/2 predictions but 1 target/);
  });

  it('the tensor version gives the same values and the hand-computed gradient', async () => {
    const value = (p: number[], t: number[], m: number) => tf.tidy(() => marginRankingLossTensor(tf.tensor1d(p), tf.tensor1d(t), m).dataSync()[0]);
    expect(value(PRED, TARGET, 1)).toBeCloseTo(0.15, 6);
    expect(value(PRED_ODD, TARGET_ODD, 1)).toBeCloseTo(0.75, 6);
    expect(value([5], [1], 1)).toBe(0);
    const grad = tf.tidy(() => tf.grad((p: tf.Tensor) => marginRankingLossTensor(p as tf.Tensor1D, tf.tensor1d(TARGET), 1))(tf.tensor1d(PRED)).dataSync());
    expect(Array.from(grad)).toEqual([0.5, 0, 0, -0.5]);
  });
});

describe('loss-prediction module', () => {
  it('taps the blocks of the zoo models: MLP hidden layers, CNN pooled maps and dense layer', () => {
    const rng = createRng('taps');
    const mlp = createModel({ name: 'mlp', inputShape: [4], numClasses: 3 }, rng.fork('mlp'));
    const cnn = createModel({ name: 'cnn', inputShape: [8, 8, 1], numClasses: 3 }, rng.fork('cnn'));
    const linear = createModel({ name: 'linear', inputShape: [6], numClasses: 3 }, rng.fork('linear'));
    expect(tapShapes(mlp)).toEqual([[256], [128]]);
    expect(tapShapes(cnn)).toEqual([[4, 4, 16], [2, 2, 32], [64]]);
    expect(tapShapes(linear)).toEqual([[6]]);
    tf.dispose([mlp, cnn, linear].flatMap((m) => m.getWeights()));
  });

  it('predicts one loss per row from CNN feature maps, and leaks nothing', () => {
    const spec = { tapShapes: [[4, 4, 16], [2, 2, 32], [64]], epochs: 10, rng: createRng('m') };
    const before = tf.memory().numTensors;
    const module = lossPredictionModule(spec, { weight: 1, margin: 1, stopGradient: 0.6, hidden: 8 });
    const out = tf.tidy(() => module.predict([tf.ones([5, 4, 4, 16]), tf.ones([5, 2, 2, 32]), tf.ones([5, 64])]));
    expect(out.shape).toEqual([5]);
    out.dispose();
    module.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains jointly: its gradient reaches the backbone before the stop epoch and not after', async () => {
    const data = tinyDataset({ train: 24, test: 6, seed: 2 });
    const train = gatherRows(data, Int32Array.from({ length: 16 }, (_, i) => i));
    const config = { epochs: 3, batchSize: 8, learningRate: 0.01 };
    const run = async (stopGradient: number | undefined) => {
      const rng = createRng('joint');
      const model = createModel({ name: 'mlp', inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
      const joint = stopGradient === undefined ? undefined : lossPredictionModule({ tapShapes: tapShapes(model), epochs: config.epochs, rng: rng.fork('module') }, { weight: 1, margin: 1, stopGradient, hidden: 16 });
      const moduleBefore = joint?.variables.map((v) => Array.from(v.dataSync()));
      await trainLoop({ model, train, config, shuffleRng: (e) => rng.fork('shuffle', e), augmentRng: (e) => rng.fork('aug', e), augment: (x) => x, joint });
      const weights = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
      const moduleMoved = joint ? joint.variables.some((v, i) => Array.from(v.dataSync()).some((x, j) => x !== moduleBefore![i][j])) : false;
      joint?.dispose();
      tf.dispose(model.getWeights());
      return { weights, moduleMoved };
    };
    const alone = await run(undefined);
    const cutFromStart = await run(0); // stop epoch 0: the module never pushes on the backbone
    const pushing = await run(1); // never stopped
    expect(cutFromStart.moduleMoved).toBe(true);
    // Same task weights up to float rounding (the joint path computes the mean loss from per-example terms).
    const maxDiff = (a: number[], b: number[]) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
    expect(maxDiff(cutFromStart.weights, alone.weights)).toBeLessThan(1e-5);
    expect(maxDiff(pushing.weights, alone.weights)).toBeGreaterThan(1e-4);
  });
});

describe('learning-loss strategy', () => {
  it('queries the highest predicted loss first and throws beyond the pool', async () => {
    const ctx: SelectionContext = { round: 0, numClasses: 3, pool: Int32Array.from([4, 5, 6]), labeled: Int32Array.from([0]), jointOutputs: Float32Array.from([0.1, 2.5, 0.7]) };
    const strategy = learningLossStrategy({ weight: 1, margin: 1, stopGradient: 0.6, hidden: 8 });
    expect((await strategy.select(ctx, 2, createRng(0))).indices).toEqual([5, 6]);
    await expect(strategy.select(ctx, 4, createRng(0))).rejects.toBeInstanceOf(PoolExhaustedError);
    expect(strategy.needs).toEqual(new Set(['jointTraining']));
  });
});
