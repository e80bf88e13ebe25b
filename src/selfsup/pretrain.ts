/**
 * SimCLR pretraining (Chen et al. 2020, Algorithm 1) of the small CNN encoder on the training pool,
 * without its labels: each step draws a minibatch, makes two strong views of every image, and
 * minimises NT-Xent over the 2N projections with Adam.
 *
 * Deterministic for a seed and backend: the weights come from `selfsup/weights`, the image order of
 * epoch e from `selfsup/order/e`, the views of step s from `selfsup/views/e/s`; no tfjs random op runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { FusedAdamOptimizer } from '../backend/fused-adam.js';
import type { Dataset } from '../data/dataset.js';
import { createRng } from '../rng.js';
import type { RepresentationConfig } from '../spec/types.js';
import { createEncoder } from './encoder.js';
import { ntXentLoss } from './nt-xent.js';
import { twoViews, viewContext } from './views.js';

export interface PretrainOutput {
  /** The trained encoder f (the caller owns and disposes it). */
  readonly encoder: tfl.LayersModel;
  /** Mean NT-Xent loss of every epoch. */
  readonly lossByEpoch: readonly number[];
  readonly steps: number;
}

/** Called after every step (with the 0-based epoch), e.g. to refresh a lock's heartbeat. */
export type StepHook = (epoch: number, step: number) => void;

export async function pretrainEncoder(
  data: Pick<Dataset, 'name' | 'shape' | 'flipPreservesLabel' | 'train'>,
  config: RepresentationConfig,
  seed: number,
  onStep: StepHook = () => {},
): Promise<PretrainOutput> {
  const rng = createRng(seed).fork('selfsup');
  const { encoder, head } = createEncoder(data.shape, config.embeddingDim, rng.fork('weights'));
  const ctx = viewContext(data);
  const n = data.train.n;
  const batchSize = Math.min(config.batchSize, n);
  const size = data.shape.reduce((a, b) => a * b, 1);
  const optimizer = new FusedAdamOptimizer(config.learningRate);
  const variables = [...encoder.trainableWeights, ...head.trainableWeights].map((w) => w.read() as tf.Variable);
  const lossByEpoch: number[] = [];
  let steps = 0;
  try {
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      const order = rng.fork('order', epoch).permutation(n);
      const losses: tf.Scalar[] = [];
      // A trailing batch of one image has no negatives; it is dropped (as the loss requires N ≥ 2).
      for (let start = 0, step = 0; n - start >= 2; start += batchSize, step++) {
        const rows = order.subarray(start, Math.min(start + batchSize, n));
        // Gathered in JS and uploaded once, as in models/train.ts.
        const xs = new Float32Array(rows.length * size);
        rows.forEach((row, i) => xs.set(data.train.x.subarray(row * size, (row + 1) * size), i * size));
        const loss = tf.tidy(() => {
          const x = tf.tensor4d(xs, [rows.length, data.shape[0], data.shape[1], data.shape[2]]);
          const [v1, v2] = twoViews(x, ctx, rng.fork('views', epoch, step));
          const views = tf.concat([v1, v2]);
          return optimizer.minimize(() => {
            const h = encoder.apply(views, { training: true }) as tf.Tensor;
            return ntXentLoss(head.apply(h, { training: true }) as tf.Tensor2D, config.temperature);
          }, true, variables)!;
        });
        losses.push(loss);
        steps++;
        onStep(epoch, step);
      }
      const mean = tf.tidy(() => tf.mean(tf.stack(losses)));
      tf.dispose(losses);
      const value = (await mean.data())[0];
      mean.dispose();
      if (!Number.isFinite(value)) throw new Error(`selfsup pretraining diverged: NT-Xent loss is ${value} in epoch ${epoch} (learning rate ${config.learningRate})`);
      lossByEpoch.push(value);
    }
  } catch (err) {
    encoder.dispose();
    throw err;
  } finally {
    optimizer.dispose();
    head.dispose();
  }
  return { encoder, lossByEpoch, steps };
}

/** x: [n, ...shape] → h = f(x): [n, d] row-major, on clean inputs, in batches. */
export async function embed(
  encoder: tfl.LayersModel,
  x: Float32Array,
  shape: readonly number[],
  embeddingDim: number,
  onBatch: () => void = () => {},
): Promise<Float32Array> {
  const size = shape.reduce((a, b) => a * b, 1);
  const n = x.length / size;
  const out = new Float32Array(n * embeddingDim);
  const batch = 512;
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    const h = tf.tidy(() => encoder.apply(tf.tensor(x.subarray(start * size, (start + count) * size), [count, ...shape]), { training: false }) as tf.Tensor);
    out.set(await h.data(), start * embeddingDim);
    h.dispose();
    onBatch();
  }
  return out;
}
