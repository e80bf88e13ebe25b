/**
 * The unlabelled-loss terms of the SSL methods, as pure tensor functions (call inside `tf.tidy`).
 *
 * - Hard pseudo-labels above a confidence threshold (Lee 2013; FixMatch, Sohn et al. 2020, eq. 2):
 *   ℓ_u = (1/n) Σ_i 1[max q_i ≥ τ] · H(argmax q_i, softmax(z_i)), where n counts every unlabelled
 *   row, masked or not, as in FixMatch.
 * - Consistency (Tarvainen & Valpola 2017): mean over rows and classes of (softmax(z) − p_teacher)².
 * - The EMA teacher: θ' ← α θ' + (1 − α) θ, with α = min(1 − 1/(t + 1), α_max).
 */
import * as tf from '@tensorflow/tfjs-core';

/** probs: [n, C] → [n]: 1 where the largest probability is at least τ, else 0. */
export function confidenceMask(probs: tf.Tensor2D, threshold: number): tf.Tensor1D {
  return tf.cast(tf.greaterEqual(tf.max(probs, 1), threshold), 'float32') as tf.Tensor1D;
}

/** probs: [n, C] → one-hot [n, C] of each row's argmax: the hard pseudo-label. */
export function hardLabels(probs: tf.Tensor2D): tf.Tensor2D {
  return tf.cast(tf.oneHot(tf.argMax(probs, 1), probs.shape[1]), 'float32') as tf.Tensor2D;
}

/** Masked cross-entropy with hard targets: (1/n) Σ mask_i · (−Σ_c target_ic · log softmax(logits)_ic). */
export function maskedCrossEntropy(targets: tf.Tensor2D, mask: tf.Tensor1D, logits: tf.Tensor2D): tf.Scalar {
  const ce = tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1));
  return tf.mean(tf.mul(mask, ce)) as tf.Scalar;
}

/** FixMatch's / pseudo-labelling's term from the target view's probabilities and the student's logits. */
export function pseudoLabelLoss(targetProbs: tf.Tensor2D, logits: tf.Tensor2D, threshold: number): tf.Scalar {
  return maskedCrossEntropy(hardLabels(targetProbs), confidenceMask(targetProbs, threshold), logits);
}

/** Mean-teacher consistency: mean over rows and classes of the squared softmax difference. */
export function consistencyLoss(studentLogits: tf.Tensor2D, teacherProbs: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.squaredDifference(tf.softmax(studentLogits), teacherProbs)) as tf.Scalar;
}

/** EMA decay at optimiser step t (0-based): ramps from 0 so the early teacher is not stuck at the random init. */
export function emaDecay(step: number, maxDecay: number): number {
  return Math.min(1 - 1 / (step + 1), maxDecay);
}

/** teacher ← α·teacher + (1 − α)·student, variable by variable. */
export function emaUpdate(teacher: readonly tf.Variable[], student: readonly tf.Tensor[], alpha: number): void {
  if (teacher.length !== student.length) throw new Error(`emaUpdate: ${teacher.length} teacher variables but ${student.length} student tensors`);
  tf.tidy(() => {
    teacher.forEach((t, i) => t.assign(tf.add(tf.mul(t, alpha), tf.mul(student[i], 1 - alpha))));
  });
}
