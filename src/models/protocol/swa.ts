/**
 * Stochastic Weight Averaging (Izmailov et al. 2018, "Averaging Weights Leads to Wider Optima and
 * Better Generalization", UAI): the equal-weight running mean of the weights at the end of each
 * epoch from `swaStart`·epochs on. Our models have no batch normalisation, so the averaged weights
 * need no statistics update. The learning rate stays Adam's constant one (the paper's constant-LR
 * variant, with Adam in place of SGD).
 */
import * as tf from '@tensorflow/tfjs-core';

export class WeightAverage {
  private mean: tf.Tensor[] | undefined;
  private count = 0;

  /** mean ← mean + (w − mean)/(k + 1). */
  add(weights: readonly tf.Tensor[]): void {
    const next = tf.tidy(() =>
      this.mean ? this.mean.map((m, i) => tf.add(m, tf.div(tf.sub(weights[i], m), this.count + 1))) : weights.map((w) => tf.clone(w)),
    );
    tf.dispose(this.mean);
    this.mean = next;
    this.count++;
  }

  get snapshots(): number {
    return this.count;
  }

  /** The averaged weights (owned by this object), or undefined before the first snapshot. */
  get weights(): readonly tf.Tensor[] | undefined {
    return this.mean;
  }

  dispose(): void {
    tf.dispose(this.mean);
    this.mean = undefined;
  }
}

/** First 0-based epoch whose end-of-epoch weights enter the average. */
export function swaFirstEpoch(epochs: number, swaStart: number): number {
  return Math.min(epochs - 1, Math.floor(swaStart * epochs));
}
