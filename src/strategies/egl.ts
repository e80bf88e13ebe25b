/**
 * Expected gradient length (Settles, Craven & Ray, NIPS 2008, "Multiple-Instance Active Learning"):
 * score x by E_{y ~ p(y|x)} ‖∇ℓ(x, y)‖, the expected norm of the training gradient if x were labelled y.
 *
 * We take the gradient with respect to the last (logits) layer, weights and bias, as deep-learning
 * uses of EGL do (Huang et al. 2016, "Active Learning for Speech Recognition: the Power of
 * Gradients"); the full-network gradient per example and label would cost C backward passes per
 * pool point. For cross-entropy that gradient is (p − e_y) ⊗ [h; 1], so
 * ‖∇ℓ(x, y)‖ = ‖p − e_y‖ · sqrt(‖h‖² + 1), with no tensor op at all.
 */
import { selectTopK } from './select.js';
import { checkBatch, required, type Strategy } from './strategy.js';

/** probs: [n, C], features: [n, d] → scores [n]. */
export function eglScores(probs: Float32Array, numClasses: number, features: Float32Array, dim: number): Float32Array {
  const n = probs.length / numClasses;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let h2 = 1;
    for (let j = 0; j < dim; j++) h2 += features[i * dim + j] ** 2;
    let sq = 0; // ‖p‖²
    for (let c = 0; c < numClasses; c++) sq += probs[i * numClasses + c] ** 2;
    let expected = 0;
    for (let y = 0; y < numClasses; y++) {
      const py = probs[i * numClasses + y];
      // ‖p − e_y‖² = ‖p‖² − 2 p_y + 1
      expected += py * Math.sqrt(Math.max(0, sq - 2 * py + 1));
    }
    out[i] = expected * Math.sqrt(h2);
  }
  return out;
}

export const eglStrategy: Strategy = {
  name: 'egl',
  needs: new Set(['embeddings']),
  async select(ctx, batchSize, rng) {
    checkBatch(ctx, batchSize);
    const emb = required(ctx.embeddings, 'egl', 'embeddings');
    const probs = required(ctx.probs, 'egl', 'embeddings');
    return { indices: selectTopK(eglScores(probs, ctx.numClasses, emb.data, emb.dim), batchSize, rng).map((p) => ctx.pool[p]) };
  },
};
