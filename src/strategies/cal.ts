/**
 * Contrastive active learning, CAL (Margatina, Vernikos, Barrault & Aletras, EMNLP 2021, "Active
 * Learning by Acquiring Contrastive Examples", Algorithm 1): for each pool point, find its k nearest
 * labelled neighbours in the model's feature space (Euclidean, penultimate layer) and score it by
 * the mean KL(p(y|x_l) ‖ p(y|x_p)) between the neighbours' predictions and its own: points that
 * look like labelled ones but are predicted differently are queried first.
 */
import { selectTopK } from './select.js';
import { checkBatch, required, type Matrix, type Strategy } from './strategy.js';

/** → scores [pool] */
export function calScores(pool: Matrix, poolProbs: Float32Array, labeled: Matrix, labeledProbs: Float32Array, numClasses: number, k: number): Float32Array {
  const n = pool.rows;
  const m = labeled.rows;
  const kk = Math.min(k, m);
  const dim = pool.dim;
  const out = new Float32Array(n);
  if (kk === 0) return out;
  const dist = new Float64Array(m);
  const idx = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < m; l++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (pool.data[i * dim + j] - labeled.data[l * dim + j]) ** 2;
      dist[l] = s;
      idx[l] = l;
    }
    // Nearest first; equal distances keep the lower labelled position.
    const nearest = Array.from(idx).sort((a, b) => dist[a] - dist[b] || a - b).slice(0, kk);
    let total = 0;
    for (const l of nearest) {
      for (let c = 0; c < numClasses; c++) {
        const pl = labeledProbs[l * numClasses + c];
        // Clamp p(x_p) away from 0 so a confident zero does not make the score infinite.
        if (pl > 0) total += pl * Math.log(pl / Math.max(poolProbs[i * numClasses + c], 1e-12));
      }
    }
    out[i] = total / kk;
  }
  return out;
}

export function calStrategy(params: { neighbors: number }): Strategy {
  return {
    name: 'cal',
    needs: new Set(['embeddings']),
    async select(ctx, batchSize, rng) {
      checkBatch(ctx, batchSize);
      const pool = required(ctx.embeddings, 'cal', 'embeddings');
      const labeled = required(ctx.labeledEmbeddings, 'cal', 'embeddings');
      const probs = required(ctx.probs, 'cal', 'embeddings');
      const labeledProbs = required(ctx.labeledProbs, 'cal', 'embeddings');
      const scores = calScores(pool, probs, labeled, labeledProbs, ctx.numClasses, params.neighbors);
      return { indices: selectTopK(scores, batchSize, rng).map((p) => ctx.pool[p]) };
    },
  };
}
