/**
 * The optimizer of a round's recipe (`training.optimizer`, `training.weightDecay`) behind one
 * `step`: Adam as the fused kernel (backend/fused-adam.ts) with decoupled weight decay (AdamW,
 * Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization", in torch.optim.AdamW's order:
 * θ ← θ·(1 − lr·wd) before the Adam update), or SGD with momentum and L2 (models/sgd.ts). Weight
 * decay touches kernels (rank ≥ 2) only: decaying biases buys nothing and can hurt.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FusedAdamOptimizer } from '../backend/fused-adam.js';
import type { TrainingConfig } from '../spec/types.js';
import { SgdOptimizer } from './sgd.js';

export interface RecipeOptimizer {
  /** One step on `loss` over `variables`; returns the loss (the caller's tidy owns it). */
  step(loss: () => tf.Scalar, variables: tf.Variable[]): tf.Scalar;
  setLearningRate(lr: number): void;
  dispose(): void;
}

/** The variables weight decay applies to. */
export function decayedVariables(variables: readonly tf.Variable[]): tf.Variable[] {
  return variables.filter((v) => v.rank >= 2);
}

export function createOptimizer(config: TrainingConfig, decayed: readonly tf.Variable[]): RecipeOptimizer {
  const wd = config.weightDecay ?? 0;
  if (config.optimizer?.name === 'sgd') {
    const sgd = new SgdOptimizer(config.learningRate, config.optimizer.momentum, config.optimizer.nesterov, wd, new Set(decayed.map((v) => v.name)));
    return {
      step: (loss, variables) => sgd.minimize(loss, true, variables)!,
      setLearningRate: (lr) => (sgd.learningRate = lr),
      dispose: () => sgd.dispose(),
    };
  }
  const adam = new FusedAdamOptimizer(config.learningRate);
  return {
    step: (loss, variables) => {
      if (wd <= 0) return adam.minimize(loss, true, variables)!;
      const { value, grads } = adam.computeGradients(loss, variables);
      const keep = 1 - adam.learningRate * wd;
      for (const v of decayed) v.assign(tf.mul(v, keep));
      adam.applyGradients(grads);
      tf.dispose(grads);
      return value;
    },
    setLearningRate: (lr) => (adam.learningRate = lr),
    dispose: () => adam.dispose(),
  };
}
