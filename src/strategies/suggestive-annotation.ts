/**
 * Suggestive annotation (Yang, Zhang, Chen, Zhang & Chen, MICCAI 2017, "Suggestive Annotation: A
 * Deep Active Learning Framework for Biomedical Image Segmentation", §2.2): train K models on
 * bootstrap samples of the labelled set, keep the `candidates`·b pool points whose predictions vary
 * most across them (mean over classes of the standard deviation), then choose b of those by greedy
 * maximum cover: maximise F(S) = Σ_{x ∈ pool} max_{s ∈ S} cos(s, x), the representativeness of S for
 * the whole unlabelled set. Descriptors are the task model's penultimate embeddings (the paper uses
 * its FCN's encoder output). The paper's 16 → 8 is `candidates: 2`; it used 4 bootstrap models.
 */
import { meanStdScores } from './sample-scores.js';
import { selectTopK } from './select.js';
import { checkBatch, required, type Matrix, type Strategy } from './strategy.js';

/** Greedy max cover over candidate rows of `x` (cosine similarity to every row). → picked candidates in order. */
export function greedyMaxCover(x: Matrix, candidates: readonly number[], k: number): number[] {
  const { data, rows: n, dim } = x;
  const norm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += data[i * dim + j] ** 2;
    norm[i] = Math.sqrt(s) || 1;
  }
  // sim[a][i] = cos(candidate a, row i)
  const sim = candidates.map((c) => {
    const row = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += data[c * dim + j] * data[i * dim + j];
      row[i] = s / (norm[c] * norm[i]);
    }
    return row;
  });
  // Cosine similarity is ≥ −1, so −1 is "not represented yet".
  const best = new Float64Array(n).fill(-1);
  const taken = new Uint8Array(candidates.length);
  const picks: number[] = [];
  for (let step = 0; step < k; step++) {
    let arg = -1;
    let gain = -Infinity;
    for (let a = 0; a < candidates.length; a++) {
      if (taken[a]) continue;
      let g = 0;
      for (let i = 0; i < n; i++) if (sim[a][i] > best[i]) g += sim[a][i] - best[i];
      if (g > gain) {
        gain = g;
        arg = a;
      }
    }
    taken[arg] = 1;
    picks.push(candidates[arg]);
    for (let i = 0; i < n; i++) if (sim[arg][i] > best[i]) best[i] = sim[arg][i];
  }
  return picks;
}

export function suggestiveAnnotationStrategy(params: { members: number; candidates: number }): Strategy {
  return {
    name: 'suggestive-annotation',
    needs: new Set(['embeddings', 'trainModel']),
    queryTrainings: [{ count: params.members }],
    async select(ctx, batchSize, rng) {
      checkBatch(ctx, batchSize);
      const emb = required(ctx.embeddings, 'suggestive-annotation', 'embeddings');
      const train = required(ctx.trainModel, 'suggestive-annotation', 'trainModel');
      const n = ctx.pool.length;
      const c = ctx.numClasses;
      const stack = new Float32Array(params.members * n * c);
      const boot = rng.fork('bootstrap');
      for (let k = 0; k < params.members; k++) {
        const rows = Int32Array.from({ length: ctx.labeled.length }, () => ctx.labeled[boot.int(ctx.labeled.length)]);
        const model = await train({ tag: `bootstrap-${k}`, rows });
        try {
          stack.set(await model.probs(ctx.pool), k * n * c);
        } finally {
          model.dispose();
        }
      }
      const uncertainty = meanStdScores({ data: stack, samples: params.members, numClasses: c });
      const m = Math.min(n, Math.max(batchSize, Math.round(params.candidates * batchSize)));
      const candidates = selectTopK(uncertainty, m, rng);
      return { indices: greedyMaxCover(emb, candidates, batchSize).map((p) => ctx.pool[p]) };
    },
  };
}
