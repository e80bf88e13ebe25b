/**
 * TypiClust (Hacohen, Dekel & Weinshall, ICML 2022, "Active Learning on a Budget: Opposite Strategies
 * Suit High and Low Budgets"), following the authors' code: k-means into min(|L| + b, 500) clusters
 * of the labelled set and the pool; clusters of more than 5 points, ordered by fewest labelled points
 * then largest size, are visited in turn, and each visit takes the cluster's most typical unlabelled
 * point, typicality(x) = 1 / mean Euclidean distance to its K = min(20, ⌊size/2⌋) nearest neighbours
 * in the cluster.
 *
 * The paper clusters self-supervised (SimCLR) features, which albench does not train; we cluster the
 * raw inputs, which like SimCLR features do not depend on the task model. Clusters of 5 or fewer
 * points are visited only after the others are exhausted, so any batch up to the pool size is filled.
 */
import { kMeans } from './kmeans.js';
import { checkBatch, required, type Strategy } from './strategy.js';

export const TYPICLUST_MAX_CLUSTERS = 500;
export const TYPICLUST_MIN_CLUSTER_SIZE = 5;
export const TYPICLUST_KNN = 20;

/** Typicality of each of `members` (row indices of `data`) within the set. */
export function typicality(data: Float32Array, dim: number, members: readonly number[]): Float64Array {
  const m = members.length;
  const k = Math.max(1, Math.min(TYPICLUST_KNN, Math.floor(m / 2)));
  const out = new Float64Array(m);
  const dists = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const diff = data[members[a] * dim + j] - data[members[b] * dim + j];
        s += diff * diff;
      }
      dists[b] = Math.sqrt(s);
    }
    dists[a] = Infinity; // not its own neighbour
    const nearest = Array.from(dists).sort((x, y) => x - y).slice(0, Math.min(k, m - 1));
    const mean = nearest.length ? nearest.reduce((x, y) => x + y, 0) / nearest.length : 0;
    out[a] = 1 / (mean + 1e-5);
  }
  return out;
}

export const typiclustStrategy: Strategy = {
  name: 'typiclust',
  needs: new Set(['inputs']),
  async select(ctx, batchSize, rng) {
    checkBatch(ctx, batchSize);
    const inputs = required(ctx.inputs, 'typiclust', 'inputs');
    const rows = Int32Array.from([...ctx.pool, ...ctx.labeled]);
    const dim = inputs.dim;
    const data = new Float32Array(rows.length * dim);
    rows.forEach((r, i) => data.set(inputs.data.subarray(r * dim, (r + 1) * dim), i * dim));
    const k = Math.min(ctx.labeled.length + batchSize, TYPICLUST_MAX_CLUSTERS, rows.length);
    const { assign } = await kMeans({ data, rows: rows.length, dim }, k, rng);
    const n = ctx.pool.length;
    const size = new Int32Array(k);
    const labeledCount = new Int32Array(k);
    const members: number[][] = Array.from({ length: k }, () => []);
    for (let i = 0; i < rows.length; i++) {
      size[assign[i]]++;
      if (i >= n) labeledCount[assign[i]]++;
      else members[assign[i]].push(i);
    }
    const byPriority = (a: number, b: number) => labeledCount[a] - labeledCount[b] || size[b] - size[a] || a - b;
    const ids = Array.from({ length: k }, (_, c) => c);
    const order = [
      ...ids.filter((c) => size[c] > TYPICLUST_MIN_CLUSTER_SIZE).sort(byPriority),
      ...ids.filter((c) => size[c] <= TYPICLUST_MIN_CLUSTER_SIZE).sort(byPriority),
    ];
    const picks: number[] = [];
    for (let visit = 0; picks.length < batchSize; visit++) {
      const c = order[visit % order.length];
      if (members[c].length === 0) continue;
      const t = typicality(data, dim, members[c]);
      let best = 0;
      for (let a = 1; a < t.length; a++) if (t[a] > t[best]) best = a;
      picks.push(members[c][best]);
      members[c].splice(best, 1);
    }
    return { indices: picks.map((p) => ctx.pool[p]) };
  },
};
