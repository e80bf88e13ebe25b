/**
 * The shape every SSL method takes in the training loop (src/models/protocol/train-loop.ts).
 * Each step the loop draws μ·B rows of the current unlabelled pool (never the test set), asks the
 * method to `prepare` them, and adds `weight(t) · step.loss(logits)` to the supervised loss.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../../rng.js';
import type { AugmentationSetting, SslName } from '../../spec/types.js';

/** What a method may use: augmentation bound to the dataset, and a way to build a second network. */
export interface SslContext {
  /** Augments a batch `[b, ...shape]` with a policy, drawing from `rng`. */
  readonly augment: (x: tf.Tensor, setting: AugmentationSetting, rng: Rng) => tf.Tensor;
  /** The cell's augmentation policy (the labelled view's). */
  readonly cellAugmentation: AugmentationSetting;
  /** A fresh network of the task model's architecture (the mean teacher). */
  readonly makeModel: () => tfl.LayersModel;
}

/** One step's unlabelled term, with its targets already computed outside the gradient. */
export interface SslStep {
  /** What the student sees for the unlabelled rows; the loop appends it to the labelled batch. */
  readonly studentInput: tf.Tensor;
  /** The unlabelled loss from the student's logits on `studentInput` (differentiated). */
  loss(studentLogits: tf.Tensor2D): tf.Scalar;
}

export interface SslMethod {
  readonly name: Exclude<SslName, 'none'>;
  /** Unlabelled rows per labelled row in a step. */
  readonly mu: number;
  /** Confidence threshold of the per-round pool statistics (the method's own τ where it has one). */
  readonly threshold: number;
  /** Weight of the unlabelled term at training progress t ∈ [0, 1]. */
  weight(progress: number): number;
  /** Once before training (mean teacher copies the student). */
  start(model: tfl.LayersModel): void;
  /** Inside `tf.tidy`, before the gradient step: targets from the current weights, no gradient through them. */
  prepare(model: tfl.LayersModel, unlabelled: tf.Tensor, rng: Rng): SslStep;
  /** After each optimiser step (0-based count over the round). */
  afterStep(model: tfl.LayersModel, step: number): void;
  /** The network the round evaluates and hands to the strategies (mean teacher: the teacher). */
  evalModel(model: tfl.LayersModel): tfl.LayersModel;
  dispose(): void;
}
