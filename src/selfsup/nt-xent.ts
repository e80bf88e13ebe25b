/**
 * NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR (Chen et al. 2020, "A Simple
 * Framework for Contrastive Learning of Visual Representations", ICML, eq. 1 and Algorithm 1):
 *
 *   ℓ(i, j) = −log( exp(sim(zᵢ, zⱼ)/τ) / Σ_{k ≠ i} exp(sim(zᵢ, zₖ)/τ) ),   sim = cosine similarity,
 *   L = 1/(2N) Σ_{k=1..N} [ℓ(k, k+N) + ℓ(k+N, k)].
 *
 * Each row's positive is the other view of the same image; the other 2N − 2 rows are negatives.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Added to the self-similarity logits so they drop out of the softmax (exp(−1e9) is exactly 0 in float32). */
const SELF_MASK = -1e9;

/**
 * z: [2N, d], rows 0..N−1 the first views and rows N..2N−1 the second views of the same N images
 * → the mean NT-Xent loss (a scalar). Call inside `tf.tidy` (or a gradient function).
 */
export function ntXentLoss(z: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const rows = z.shape[0];
    if (rows % 2 !== 0 || rows < 4) throw new Error(`ntXentLoss: z needs 2N rows with N ≥ 2 (two views per image), got ${rows}`);
    const n = rows / 2;
    // Cosine similarity: L2-normalise rows, then one matmul. [2N, d] → [2N, 2N]
    const unit = tf.div(z, tf.add(tf.norm(z, 'euclidean', 1, true), 1e-12));
    const logits = tf.add(tf.div(tf.matMul(unit, unit, false, true), temperature), tf.mul(tf.eye(rows), SELF_MASK));
    // Positive of row i is row (i + N) mod 2N.
    const positives = tf.oneHot(tf.tensor1d(Array.from({ length: rows }, (_, i) => (i + n) % rows), 'int32'), rows);
    const positive = tf.sum(tf.mul(logits, positives), 1);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), positive)) as tf.Scalar;
  });
}

/**
 * The same loss over plain arrays, in double precision and in the paper's per-pair form: a
 * reference for tests and for checking other implementations. z: [2N][d] → scalar.
 */
export function ntXentReference(z: readonly (readonly number[])[], temperature: number): number {
  const rows = z.length;
  const n = rows / 2;
  const norm = (v: readonly number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const sim = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, k) => s + x * b[k], 0) / (norm(a) * norm(b));
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const j = (i + n) % rows;
    let denom = 0;
    for (let k = 0; k < rows; k++) if (k !== i) denom += Math.exp(sim(z[i], z[k]) / temperature);
    total += -Math.log(Math.exp(sim(z[i], z[j]) / temperature) / denom);
  }
  return total / rows;
}
