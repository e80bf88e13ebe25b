/**
 * TypiClust (Hacohen, Dekel & Weinshall, ICML 2022, "Active Learning on a Budget: Opposite Strategies
 * Suit High and Low Budgets"), following the authors' code (github.com/avihu111/TypiClust,
 * deep-al/pycls/al/typiclust.py): k-means into min(|L| + b, 500) clusters of the labelled set and the
 * pool; clusters of 5 or fewer points are dropped (`clusters_df.cluster_size > MIN_CLUSTER_SIZE`);
 * the rest, ordered by fewest labelled points then largest size, are visited round-robin, and each
 * visit takes the cluster's most typical unlabelled point, typicality(x) = 1 / (mean Euclidean
 * distance to its K = min(20, ⌊m/2⌋) nearest unlabelled neighbours in the cluster + 1e-5), m the
 * cluster's unlabelled points left. (The paper's Eq. 1 uses the Euclidean distance; the code's faiss
 * IndexFlatL2 returns squared distances. We follow the paper.)
 *
 * Features (`features.ts`): self-supervised embeddings by default, as in the paper (SimCLR);
 * `typiclust-raw` and `typiclust-model` run on the inputs or the task model's embeddings.
 *
 * Not defined by the paper or the code, so documented here and reported in `Selection.notes` when it
 * fires: when no cluster has more than 5 points, or every such cluster has run out of unlabelled
 * points before the batch is full (the code would fail: an empty cluster has no argmax), the
 * dropped small clusters are visited the same way, so any batch up to the pool size is filled.
 */
import { FEATURE_NEED, poolThenLabeled, type FeatureName } from './features.js';
import { kMeans } from './kmeans.js';
import { checkBatch, type Strategy } from './strategy.js';

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

/**
 * The visiting order of the clusters: those of more than 5 points by (fewest labelled, largest
 * size, id), then the small ones in the same order (visited only once the others are exhausted).
 */
export function typiclustClusterOrder(size: Int32Array, labeledCount: Int32Array): { main: number[]; small: number[] } {
  const byPriority = (a: number, b: number) => labeledCount[a] - labeledCount[b] || size[b] - size[a] || a - b;
  const ids = Array.from({ length: size.length }, (_, c) => c);
  return {
    main: ids.filter((c) => size[c] > TYPICLUST_MIN_CLUSTER_SIZE).sort(byPriority),
    small: ids.filter((c) => size[c] > 0 && size[c] <= TYPICLUST_MIN_CLUSTER_SIZE).sort(byPriority),
  };
}

/** `encoder`: the self-supervised encoder's settings when `features` is selfsup. */
export function typiclustStrategy(name: string, features: FeatureName, encoder?: Readonly<Record<string, number>>): Strategy {
  return {
    name,
    needs: new Set([FEATURE_NEED[features]]),
    ...(encoder ? { needOptions: { selfsup: encoder } } : {}),
    async select(ctx, batchSize, rng) {
      checkBatch(ctx, batchSize);
      const points = poolThenLabeled(ctx, features, name);
      const { data, dim } = points;
      const k = Math.min(ctx.labeled.length + batchSize, TYPICLUST_MAX_CLUSTERS, points.rows);
      const notes: string[] = [];
      if (batchSize === 0) return { indices: [] };
      const { assign, uniformDraws } = await kMeans(points, k, rng);
      if (uniformDraws > 0) notes.push(`${name}: k-means++ found every D² = 0 for ${uniformDraws} of ${k} centres (duplicate points); those clusters stay empty`);
      const n = ctx.pool.length;
      const size = new Int32Array(k);
      const labeledCount = new Int32Array(k);
      const members: number[][] = Array.from({ length: k }, () => []);
      for (let i = 0; i < points.rows; i++) {
        size[assign[i]]++;
        if (i >= n) labeledCount[assign[i]]++;
        else members[assign[i]].push(i);
      }
      const { main, small } = typiclustClusterOrder(size, labeledCount);
      const picks: number[] = [];
      const visitRoundRobin = (order: number[]) => {
        for (let visit = 0, idle = 0; picks.length < batchSize && order.length > 0 && idle < order.length; visit++) {
          const c = order[visit % order.length];
          if (members[c].length === 0) {
            idle++;
            continue;
          }
          idle = 0;
          const t = typicality(data, dim, members[c]);
          let best = 0;
          for (let a = 1; a < t.length; a++) if (t[a] > t[best]) best = a;
          picks.push(members[c][best]);
          members[c].splice(best, 1);
        }
      };
      visitRoundRobin(main);
      if (picks.length < batchSize) {
        notes.push(`${name}: clusters of more than ${TYPICLUST_MIN_CLUSTER_SIZE} points gave ${picks.length} of ${batchSize} picks; the rest from the ${small.length} smaller clusters the authors drop`);
        visitRoundRobin(small);
      }
      return { indices: picks.map((p) => ctx.pool[p]), ...(notes.length ? { notes } : {}) };
    },
  };
}
