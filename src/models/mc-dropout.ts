/**
 * Monte-Carlo dropout (Gal & Ghahramani, ICML 2016; Gal, Islam & Ghahramani, ICML 2017) on the
 * logits layer: T passes, each with its own seeded Bernoulli mask on the penultimate features.
 *
 * Two choices, and why:
 * - The mask of a pass is shared by every pool example ("consistent MC dropout", Kirsch et al. 2019,
 *   BatchBALD §4): each pass is then one sampled model ω_t, which BatchBALD's joint entropies need,
 *   and BALD's per-example scores are unchanged in distribution.
 * - Only the last layer is stochastic, so the embedding is computed once and a pass costs one
 *   `[n, d] × [d, C]` product. The zoo models are trained without dropout (their architecture is
 *   fixed for the paired design), so this is test-time dropout on the head.
 *
 * Inverted dropout: kept units are scaled by 1/(1 − rate), so the mean pass equals the plain model.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';
import { splitHead } from './embeddings.js';

/** embeddings: [n, d] → probs [T, n, classes] row-major. One tfjs seed per pass from `rng`. */
export async function mcDropoutProbs(
  model: tfl.LayersModel,
  embeddings: Float32Array,
  n: number,
  passes: number,
  rate: number,
  rng: Rng,
): Promise<Float32Array> {
  if (!Number.isInteger(passes) || passes < 1) throw new RangeError(`MC dropout passes must be a positive integer, got ${passes}`);
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`MC dropout rate must be in [0, 1), got ${rate}`);
  const { head } = splitHead(model);
  const [kernel, bias] = head.getWeights();
  const [d, c] = kernel.shape as [number, number];
  if (embeddings.length !== n * d) throw new RangeError(`embeddings hold ${embeddings.length} values, expected ${n}×${d}`);
  const out = new Float32Array(passes * n * c);
  const h = tf.tensor2d(embeddings, [n, d]);
  try {
    for (let t = 0; t < passes; t++) {
      const seed = rng.tfSeed();
      const probs = tf.tidy(() => {
        const keep = tf.cast(tf.greaterEqual(tf.randomUniform([d, 1], 0, 1, 'float32', seed), rate), 'float32');
        // Masking feature j for every example is the same as zeroing row j of the kernel.
        const w = tf.mul(kernel, tf.div(keep, 1 - rate));
        const logits = bias ? tf.add(tf.matMul(h, w), bias) : tf.matMul(h, w);
        return tf.softmax(logits);
      });
      out.set(await probs.data(), t * n * c);
      probs.dispose();
    }
  } finally {
    h.dispose();
  }
  return out;
}
