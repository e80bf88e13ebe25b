/**
 * Diverse mini-batch active learning (Zhdanov 2019, "Diverse mini-batch Active Learning",
 * arXiv:1901.05954): prefilter the β·b pool points of smallest margin, cluster them with k-means
 * into b clusters weighted by their informativeness (the margin score 1 − (p₁ − p₂)), and take the
 * point nearest to each centre. Clustering runs on the task model's penultimate embeddings.
 *
 * This was registered as `cluster-margin`, which names a different method: Citovsky et al.,
 * NeurIPS 2021, "Batch Active Learning at Scale" cluster the initial pool's embeddings once with
 * average-linkage agglomerative clustering and round-robin over the clusters of the k_m
 * lowest-margin candidates, smallest cluster first. albench does not offer that method yet; this one is
 * registered under its own name, `diverse-minibatch`.
 */
import { kMeans } from './kmeans.js';
import { selectTopK } from './select.js';
import { checkBatch, required, type Strategy } from './strategy.js';
import { marginScores } from './uncertainty-scores.js';

export function diverseMinibatchStrategy(params: { beta: number }): Strategy {
  return {
    name: 'diverse-minibatch',
    needs: new Set(['embeddings']),
    async select(ctx, batchSize, rng) {
      checkBatch(ctx, batchSize);
      const emb = required(ctx.embeddings, 'diverse-minibatch', 'embeddings');
      const probs = required(ctx.probs, 'diverse-minibatch', 'embeddings');
      if (batchSize === 0) return { indices: [] };
      const scores = marginScores(probs, ctx.numClasses);
      const m = Math.min(ctx.pool.length, Math.max(batchSize, Math.round(params.beta * batchSize)));
      const pre = selectTopK(scores, m, rng.fork('prefilter'));
      const dim = emb.dim;
      const data = new Float32Array(m * dim);
      pre.forEach((p, a) => data.set(emb.data.subarray(p * dim, (p + 1) * dim), a * dim));
      const points = { data, rows: m, dim };
      const { centers, uniformDraws } = await kMeans(points, batchSize, rng.fork('kmeans'), { weights: Float32Array.from(pre, (p) => scores[p]) });
      // For each centre the nearest prefiltered point not yet taken (a centre can attract a point
      // another centre already took when clusters are tiny; then the next nearest is used).
      const taken = new Uint8Array(m);
      const picks: number[] = [];
      for (let c = 0; c < batchSize; c++) {
        let best = -1;
        let bestD = Infinity;
        for (let a = 0; a < m; a++) {
          if (taken[a]) continue;
          let d = 0;
          for (let j = 0; j < dim; j++) d += (data[a * dim + j] - centers[c * dim + j]) ** 2;
          if (d < bestD) {
            bestD = d;
            best = a;
          }
        }
        taken[best] = 1;
        picks.push(pre[best]);
      }
      const notes = uniformDraws > 0 ? [`diverse-minibatch: k-means++ found every weight·D² = 0 for ${uniformDraws} of ${batchSize} centres (fewer distinct candidates than the batch); drew them by weight alone`] : [];
      return { indices: picks.map((p) => ctx.pool[p]), ...(notes.length ? { notes } : {}) };
    },
  };
}
