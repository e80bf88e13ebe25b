/**
 * Supervised training with Adam over shuffled minibatches. The data order comes from the caller's
 * rng (one stream per epoch), never from tfjs's own `fit` shuffle, which uses `Math.random`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';
import type { TrainingConfig } from '../spec/types.js';

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
 */
export async function trainModel(
  model: tfl.LayersModel,
  data: TrainingSet,
  config: TrainingConfig,
  shuffleRng: (epoch: number) => Rng,
): Promise<number> {
  const optimizer = tf.train.adam(config.learningRate);
  // An explicit variable list: without it tfjs differentiates against every variable in the engine.
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.tensor(data.x, [data.n, ...data.shape]);
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(data.y, 'int32'), data.numClasses), 'float32'));
  let lastEpochLoss: tf.Scalar | undefined;
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const order = shuffleRng(epoch).permutation(data.n);
      const losses: tf.Scalar[] = [];
      for (let start = 0; start < data.n; start += config.batchSize) {
        const batchIdx = order.subarray(start, Math.min(start + config.batchSize, data.n));
        const loss = tf.tidy(() => {
          const idx = tf.tensor1d(batchIdx, 'int32');
          const xb = tf.gather(x, idx);
          const yb = tf.gather(y, idx);
          return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true }) as tf.Tensor), true, variables)!;
        });
        if (epoch === config.epochs - 1) losses.push(loss);
        else loss.dispose();
      }
      if (epoch === config.epochs - 1) {
        lastEpochLoss = tf.tidy(() => tf.mean(tf.stack(losses)) as tf.Scalar);
        tf.dispose(losses);
      }
    }
    const loss = lastEpochLoss ? (await lastEpochLoss.data())[0] : NaN;
    if (!Number.isFinite(loss)) throw new Error(`training diverged: loss is ${loss} (learning rate ${config.learningRate})`);
    return loss;
  } finally {
    tf.dispose([x, y]);
    lastEpochLoss?.dispose();
    optimizer.dispose();
  }
}
