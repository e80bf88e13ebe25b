/**
 * Decoupled weight decay (AdamW; Loshchilov & Hutter 2019, "Decoupled Weight Decay
 * Regularization"): after each Adam step, θ ← θ − lr·wd·θ. Applied to kernels (rank ≥ 2) only, as
 * is customary: decaying biases buys nothing and can hurt.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The variables weight decay applies to. */
export function decayedVariables(variables: readonly tf.Variable[]): tf.Variable[] {
  return variables.filter((v) => v.rank >= 2);
}

/** θ ← (1 − lr·wd)·θ for each variable. */
export function applyWeightDecay(variables: readonly tf.Variable[], learningRate: number, weightDecay: number): void {
  if (weightDecay <= 0) return;
  const keep = 1 - learningRate * weightDecay;
  tf.tidy(() => variables.forEach((v) => v.assign(tf.mul(v, keep))));
}
