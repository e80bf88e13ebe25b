/**
 * Supervised training with Adam over shuffled minibatches. The data order comes from the caller's
 * rng (one stream per epoch), never from tfjs's own `fit` shuffle, which draws from the global unseeded generator.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { FusedAdamOptimizer } from '../backend/fused-adam.js';
import type { Rng } from '../rng.js';
import type { TrainingConfig } from '../spec/types.js';
import { trainLoop } from './protocol/train-loop.js';
import { isPlainTraining } from './recipe.js';

export interface TrainingSet {
  /** Row-major `[n, ...shape]`. */
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly n: number;
  readonly shape: readonly number[];
  readonly numClasses: number;
}

/**
 * Trains `model` in place. `shuffleRng(epoch)` supplies the order of each epoch. Returns the mean
 * loss of the last epoch, read once at the end so the hot loop never waits on the backend.
 * `onEpochEnd` (a strategy's training hook, models/joint.ts) is awaited after each epoch; it only
 * observes, so the weights are the same with or without it.
 *
 * A recipe beyond plain epochs (steps, schedules, SGD, weight decay, until: models/recipe.ts) runs
 * in the extended loop; plain epochs of Adam stay on this loop, bit for bit as before.
 */
export async function trainModel(
  model: tfl.LayersModel,
  data: TrainingSet,
  config: TrainingConfig,
  shuffleRng: (epoch: number) => Rng,
  onEpochEnd?: (epoch: number) => Promise<void>,
): Promise<number> {
  if (!isPlainTraining(config)) {
    const out = await trainLoop({
      model,
      train: data,
      config,
      shuffleRng,
      augmentRng: shuffleRng,
      augment: (x) => x,
      onEpochEnd: onEpochEnd && (async (epoch) => (await onEpochEnd(epoch), false)),
    });
    return out.loss;
  }
  const epochs = config.epochs!;
  // Adam as one fused kernel per variable: tfjs's Adam is ~12 kernels per variable and step.
  const optimizer = new FusedAdamOptimizer(config.learningRate);
  // An explicit variable list: without it tfjs differentiates against every variable in the engine.
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const size = data.shape.reduce((a, b) => a * b, 1);
  let lastEpochLoss: tf.Scalar | undefined;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = shuffleRng(epoch).permutation(data.n);
      const losses: tf.Scalar[] = [];
      for (let start = 0; start < data.n; start += config.batchSize) {
        const batchIdx = order.subarray(start, Math.min(start + config.batchSize, data.n));
        // The minibatch is gathered in JS and uploaded once: a backend gather (and the one-hot) cost
        // several kernels per step, and wasm's GatherV2 was ~7 % of a CNN step (tf.profile).
        // Fresh arrays per batch: the cpu backend keeps a reference to the array it is given.
        const xs = new Float32Array(batchIdx.length * size);
        const ys = new Float32Array(batchIdx.length * data.numClasses);
        batchIdx.forEach((row, i) => {
          xs.set(data.x.subarray(row * size, (row + 1) * size), i * size);
          ys[i * data.numClasses + data.y[row]] = 1;
        });
        const loss = tf.tidy(() => {
          const xb = tf.tensor(xs, [batchIdx.length, ...data.shape]);
          const yb = tf.tensor2d(ys, [batchIdx.length, data.numClasses]);
          return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true }) as tf.Tensor), true, variables)!;
        });
        if (epoch === epochs - 1) losses.push(loss);
        else loss.dispose();
      }
      if (epoch === epochs - 1) {
        lastEpochLoss = tf.tidy(() => tf.mean(tf.stack(losses)) as tf.Scalar);
        tf.dispose(losses);
      }
      if (onEpochEnd) await onEpochEnd(epoch);
    }
    const loss = lastEpochLoss ? (await lastEpochLoss.data())[0] : NaN;
    if (!Number.isFinite(loss)) throw new Error(`training diverged: loss is ${loss} (learning rate ${config.learningRate})`);
    return loss;
  } finally {
    lastEpochLoss?.dispose();
    optimizer.dispose();
  }
}
