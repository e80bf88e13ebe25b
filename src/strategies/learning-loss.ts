/**
 * Learning loss (Yoo & Kweon, CVPR 2019, "Learning Loss for Active Learning"): a small loss
 * prediction module, trained jointly with the task model, predicts the task loss of an example from
 * the task model's intermediate features; the pool examples with the highest predicted loss are
 * queried.
 *
 * The module (their Fig. 2): for each feature tap, global average pooling (for feature maps) →
 * FC(`hidden`, 128 in the paper) → ReLU; the branches are concatenated → FC(1). The taps are the
 * outputs of the task model's blocks (models/joint.ts: the MLP's two hidden layers, the CNN's two
 * pooled conv maps and its dense layer), as the paper taps each ResNet block.
 *
 * The loss (their Eq. 2–3, and the authors' pairing in code): the minibatch of size B is split into
 * B/2 pairs, example i with example B−1−i (the batch order is already a seeded shuffle); for a pair
 * with target losses l_i, l_j and predictions l̂_i, l̂_j,
 *
 *   L_loss = max(0, −𝟙(l_i, l_j)·(l̂_i − l̂_j) + ξ),  𝟙 = +1 if l_i > l_j, else −1,
 *
 * averaged over the pairs, with margin ξ = 1. The total loss is L_target + λ·L_loss, λ = 1. The
 * target losses are constants (no gradient through l), and after `stopGradient` of the epochs (120
 * of 200 in the paper, 0.6) the module's gradient into the backbone is stopped, so the task model
 * then trains on its own loss only while the module keeps learning.
 *
 * Why the loop trains it: DESIGN.md has strategies own their auxiliary networks and never train the
 * task model. Learning loss is the exception the paper defines: the module needs the task model's
 * intermediate features at every training step, and until the stop epoch its loss shapes the
 * backbone. So the strategy defines the module and its loss (`jointModule`); the loop trains it in
 * the task model's steps through the `jointTraining` need and hands over its outputs on the pool
 * (`ctx.jointOutputs`). The task model of a learning-loss cell therefore differs from other
 * strategies' in the same round, as in the paper. Departures: Adam at the cell's learning rate for
 * both networks (the paper uses SGD for both), and a fresh module every round.
 */
import * as tf from '@tensorflow/tfjs-core';
import { stopGradient, type JointModule } from '../models/joint.js';
import { selectTopK } from './select.js';
import { checkBatch, required, type JointModuleSpec, type Strategy } from './strategy.js';
import { applyDense, denseLayer } from '../models/dense-layer.js';

export interface LearningLossParams {
  /** λ, weight of the loss-prediction loss in the total loss. */
  readonly weight: number;
  /** ξ, margin of the ranking loss. */
  readonly margin: number;
  /** Fraction of the epochs after which the module's gradient into the backbone is stopped. */
  readonly stopGradient: number;
  /** Units of each branch's FC layer. */
  readonly hidden: number;
}

/**
 * The pairwise margin ranking loss over a batch, pairs (i, B−1−i) for i < ⌊B/2⌋; 0 for B < 2.
 *
 * predicted: [B], target: [B] → mean over pairs of max(0, −sign·(p_i − p_j) + ξ)
 */
export function marginRankingLoss(predicted: ArrayLike<number>, target: ArrayLike<number>, margin: number): number {
  const b = predicted.length;
  if (target.length !== b) throw new RangeError(`marginRankingLoss: ${b} predictions but ${target.length} target losses`);
  const pairs = Math.floor(b / 2);
  if (pairs === 0) return 0;
  let sum = 0;
  for (let i = 0; i < pairs; i++) {
    const j = b - 1 - i;
    const sign = target[i] - target[j] > 0 ? 1 : -1;
    sum += Math.max(0, -sign * (predicted[i] - predicted[j]) + margin);
  }
  return sum / pairs;
}

/** The same loss on tensors, differentiable in `predicted`; call inside tidy. */
export function marginRankingLossTensor(predicted: tf.Tensor1D, target: tf.Tensor1D, margin: number): tf.Scalar {
  const b = predicted.shape[0];
  const pairs = Math.floor(b / 2);
  if (pairs === 0) return tf.scalar(0);
  const firstMinusLast = (t: tf.Tensor1D) => tf.sub(tf.slice(t, 0, pairs), tf.slice(tf.reverse(t), 0, pairs));
  // +1 where l_i > l_j, else −1 (ties too, as in the authors' code); step has a (zero) gradient, greater none.
  const sign = tf.sub(tf.mul(tf.step(firstMinusLast(target)), 2), 1);
  return tf.mean(tf.relu(tf.add(tf.neg(tf.mul(sign, firstMinusLast(predicted))), margin))) as tf.Scalar;
}

const dense = denseLayer;
const apply = applyDense;

/** The loss-prediction module for the task model's taps. */
export function lossPredictionModule(spec: JointModuleSpec, params: LearningLossParams): JointModule {
  if (spec.tapShapes.length === 0) throw new Error('learning-loss: the task model exposes no feature taps');
  const branches = spec.tapShapes.map((shape) => dense(spec.rng, shape[shape.length - 1], params.hidden));
  const out = dense(spec.rng, params.hidden * branches.length, 1);
  const variables = [...branches, out].flatMap((l) => [l.w, l.b]);
  const stopEpoch = Math.round(params.stopGradient * spec.epochs);

  // taps [b, ...] → predicted loss [b]
  const predict = (taps: readonly tf.Tensor[]): tf.Tensor1D => {
    const features = taps.map((t, i) => {
      // Global average pooling over every axis but the batch and the channels (feature maps only).
      const pooled = t.rank > 2 ? tf.mean(t, Array.from({ length: t.rank - 2 }, (_, a) => a + 1)) : t;
      return tf.relu(apply(branches[i], pooled as tf.Tensor2D));
    });
    return tf.reshape(apply(out, features.length === 1 ? features[0] : tf.concat(features, 1)), [-1]);
  };

  return {
    variables,
    predict,
    loss(taps, exampleLoss, { epoch }) {
      const features = epoch >= stopEpoch ? taps.map((t) => stopGradient(t)) : taps;
      const target = stopGradient(exampleLoss);
      return tf.mul(params.weight, marginRankingLossTensor(predict(features), target, params.margin));
    },
    dispose: () => tf.dispose(variables),
  };
}

export function learningLossStrategy(params: LearningLossParams): Strategy {
  return {
    name: 'learning-loss',
    needs: new Set(['jointTraining']),
    jointModule: (spec) => lossPredictionModule(spec, params),
    async select(ctx, batchSize, rng) {
      checkBatch(ctx, batchSize);
      const predictedLoss = required(ctx.jointOutputs, 'learning-loss', 'jointTraining');
      return { indices: selectTopK(predictedLoss, batchSize, rng).map((p) => ctx.pool[p]) };
    },
  };
}
