/**
 * The minibatch loop for rounds that need more than plain supervised training (src/models/train.ts
 * stays the hot path for those that don't): augmented labelled inputs, an unlabelled SSL term on
 * rows of the pool, the recipe's optimizer, schedule, weight decay and length (models/recipe.ts:
 * epochs, steps, or until the training accuracy reaches a level), and an end-of-epoch hook (early
 * stopping, SWA).
 *
 * Streams, per round r and epoch e: the labelled order comes from `shuffle/r/e` (the same order the
 * plain path uses, so augmentation changes nothing else), labelled augmentation from `augment/r/e`,
 * the unlabelled order from `unlabelled/r/e` and the unlabelled views from `augment-unlabelled/r/e`.
 *
 * A strategy's joint module (models/joint.ts; learning loss) trains here, in the same steps and
 * with the same optimiser as the task model: one layer-by-layer forward pass yields the logits and
 * the feature taps, and the module's loss on the labelled rows is added to the task loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../../rng.js';
import type { TrainingConfig } from '../../spec/types.js';
import type { SslMethod } from '../ssl/method.js';
import { applyWithTaps, type JointModule } from '../joint.js';
import { createOptimizer, decayedVariables } from '../optimizer.js';
import { predictProbs } from '../predict.js';
import { roundPlan, scheduleFactor } from '../recipe.js';
import type { TrainingSet } from '../train.js';
import { labelledFit } from '../fit.js';

export interface UnlabelledInputs {
  readonly method: SslMethod;
  /** Row-major features holding the pool rows (the dataset's training split). */
  readonly x: Float32Array;
  /** Row indices of the current pool in `x`. */
  readonly rows: Int32Array;
  readonly orderRng: (epoch: number) => Rng;
  readonly viewRng: (epoch: number) => Rng;
}

export interface LoopInputs {
  readonly model: tfl.LayersModel;
  readonly train: TrainingSet;
  readonly config: TrainingConfig;
  readonly shuffleRng: (epoch: number) => Rng;
  readonly augmentRng: (epoch: number) => Rng;
  /** The labelled view: x [b, ...shape] → augmented (identity for `none`). Called inside tidy. */
  readonly augment: (x: tf.Tensor, rng: Rng) => tf.Tensor;
  readonly unlabelled?: UnlabelledInputs;
  /** After each epoch; resolve true to stop training. */
  readonly onEpochEnd?: (epoch: number) => Promise<boolean>;
  /** A strategy's module trained jointly with the task model. */
  readonly joint?: JointModule;
}

export interface LoopOutput {
  /** Mean loss over the last epoch run. */
  readonly loss: number;
  readonly epochsRun: number;
  /** Optimizer steps taken. */
  readonly steps: number;
}

function gather(x: Float32Array, rows: ArrayLike<number>, size: number): Float32Array {
  const out = new Float32Array(rows.length * size);
  for (let i = 0; i < rows.length; i++) out.set(x.subarray(rows[i] * size, (rows[i] + 1) * size), i * size);
  return out;
}

export async function trainLoop(inputs: LoopInputs): Promise<LoopOutput> {
  const { model, train, config, unlabelled, joint } = inputs;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  // The joint module's variables share the optimiser (not the weight decay, which is the task model's).
  const optimizer = createOptimizer(config, decayedVariables(variables));
  const trained = joint ? [...variables, ...joint.variables] : variables;
  const size = train.shape.reduce((a, b) => a * b, 1);
  const { maxEpochs, totalSteps } = roundPlan(config, train.n);
  const scheduled = config.schedule !== undefined || (config.warmupSteps ?? 0) > 0;
  const uBatch = unlabelled ? Math.min(unlabelled.method.mu * config.batchSize, unlabelled.rows.length) : 0;
  let step = 0;
  let epochsRun = 0;
  let lastLoss = NaN;
  try {
    for (let epoch = 0; epoch < maxEpochs && step < totalSteps; epoch++) {
      const order = inputs.shuffleRng(epoch).permutation(train.n);
      const augRng = inputs.augmentRng(epoch);
      const uOrder = unlabelled && uBatch > 0 ? unlabelled.orderRng(epoch).permutation(unlabelled.rows.length) : undefined;
      const viewRng = unlabelled?.viewRng(epoch);
      const losses: tf.Scalar[] = [];
      for (let s = 0, start = 0; start < train.n && step < totalSteps; s++, start += config.batchSize) {
        const idx = order.subarray(start, Math.min(start + config.batchSize, train.n));
        const b = idx.length;
        const xs = gather(train.x, idx, size);
        const ys = new Float32Array(b * train.numClasses);
        idx.forEach((row, i) => (ys[i * train.numClasses + train.y[row]] = 1));
        const weight = unlabelled ? unlabelled.method.weight(step / totalSteps) : 0;
        // A zero weight (Lee's T1, a ramp's start) skips the unlabelled forward passes altogether.
        const uRows = uOrder && weight > 0 ? Int32Array.from({ length: uBatch }, (_, j) => unlabelled!.rows[uOrder[(s * uBatch + j) % uOrder.length]]) : undefined;
        const xu = uRows ? gather(unlabelled!.x, uRows, size) : undefined;
        if (scheduled) optimizer.setLearningRate(config.learningRate * scheduleFactor(config, step, totalSteps));
        const loss = tf.tidy(() => {
          const xl = inputs.augment(tf.tensor(xs, [b, ...train.shape]), augRng);
          const yl = tf.tensor2d(ys, [b, train.numClasses]);
          const sslStep = xu ? unlabelled!.method.prepare(model, tf.tensor(xu, [uBatch, ...train.shape]), viewRng!) : undefined;
          // One forward pass over labelled + unlabelled rows. Without batch norm it equals two passes; with it
          // (resnet18) the batch statistics span both, as in FixMatch's reference code (Sohn et al. 2020).
          const input = sslStep ? tf.concat([xl, sslStep.studentInput]) : xl;
          const l = optimizer.step(
            () => {
              if (joint) {
                const { logits, taps } = applyWithTaps(model, input, true);
                const labelled = (t: tf.Tensor) => (sslStep ? tf.slice(t, 0, b) : t);
                const perExample = tf.losses.softmaxCrossEntropy(yl, labelled(logits), undefined, undefined, tf.Reduction.NONE) as tf.Tensor1D;
                const jointLoss = joint.loss(taps.map(labelled), perExample, { epoch, epochs: maxEpochs });
                const sup = tf.add(tf.mean(perExample), jointLoss) as tf.Scalar;
                return sslStep ? (tf.add(sup, tf.mul(weight, sslStep.loss(tf.slice(logits, [b, 0], [-1, -1])))) as tf.Scalar) : sup;
              }
              const logits = model.apply(input, { training: true }) as tf.Tensor2D;
              if (!sslStep) return tf.losses.softmaxCrossEntropy(yl, logits) as tf.Scalar;
              const sup = tf.losses.softmaxCrossEntropy(yl, tf.slice(logits, [0, 0], [b, -1])) as tf.Scalar;
              return tf.add(sup, tf.mul(weight, sslStep.loss(tf.slice(logits, [b, 0], [-1, -1])))) as tf.Scalar;
            },
            trained,
          );
          unlabelled?.method.afterStep(model, step);
          return l;
        });
        losses.push(loss);
        step++;
      }
      const mean = tf.tidy(() => tf.mean(tf.stack(losses)));
      tf.dispose(losses);
      lastLoss = (await mean.data())[0];
      mean.dispose();
      epochsRun = epoch + 1;
      if (!Number.isFinite(lastLoss)) throw new Error(`training diverged: loss is ${lastLoss} (learning rate ${config.learningRate})`);
      if (inputs.onEpochEnd && (await inputs.onEpochEnd(epoch))) break;
      // Beck et al. 2021: stop once the model fits its training set (clean inputs, as evaluated).
      if (config.until && (await trainAccuracy(model, train)) >= config.until.trainAccuracy) break;
    }
    return { loss: lastLoss, epochsRun, steps: step };
  } finally {
    optimizer.dispose();
  }
}

async function trainAccuracy(model: tfl.LayersModel, train: TrainingSet): Promise<number> {
  const probs = await predictProbs(model, train.x, train.shape, train.numClasses);
  return labelledFit(probs, train.y, train.numClasses).trainAccuracy;
}
