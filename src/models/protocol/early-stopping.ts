/**
 * Early stopping on a validation split carved from the labelled set, never from the test set: a
 * learner in an AL loop has only its labels (Oliver et al. 2018 on realistic SSL evaluation make
 * the same point). The split costs labels for training, which is why it is off by default and the
 * split is recorded in every round.
 */
import type { Rng } from '../../rng.js';

/**
 * Splits `labeled` into validation and training rows: ⌈fraction·n⌉ rows (at least 1) drawn by the
 * stream. Fails when no training row would remain.
 */
export function carveValidation(labeled: Int32Array, fraction: number, rng: Rng): { validation: Int32Array; training: Int32Array } {
  const n = labeled.length;
  const count = Math.max(1, Math.ceil(fraction * n));
  if (count >= n) {
    throw new Error(`protocol.validationFraction ${fraction} leaves no training row from ${n} labelled examples; allowed: a fraction that keeps at least one (or a larger initialSize)`);
  }
  const order = rng.permutation(n);
  const validation = Int32Array.from(order.subarray(0, count), (i) => labeled[i]).sort();
  const training = Int32Array.from(order.subarray(count), (i) => labeled[i]).sort();
  return { validation, training };
}

/** Mean cross-entropy of probs [n, C] against labels [n], with probabilities floored to avoid log 0. */
export function validationLoss(probs: Float32Array, labels: ArrayLike<number>, numClasses: number): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum -= Math.log(Math.max(probs[i * numClasses + labels[i]], 1e-12));
  return labels.length === 0 ? NaN : sum / labels.length;
}

/** Tracks the best epoch; `update` returns true when training should stop (no improvement for `patience` epochs). */
export class EarlyStopper {
  bestEpoch = -1;
  bestLoss = Infinity;

  constructor(private readonly patience: number) {}

  /** Returns whether this epoch is the new best (strictly lower loss). */
  improved(epoch: number, loss: number): boolean {
    if (loss < this.bestLoss) {
      this.bestLoss = loss;
      this.bestEpoch = epoch;
      return true;
    }
    return false;
  }

  shouldStop(epoch: number): boolean {
    return epoch - this.bestEpoch >= this.patience;
  }
}
