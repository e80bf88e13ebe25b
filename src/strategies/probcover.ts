/**
 * ProbCover (Yehuda, Dekel, Hacohen & Weinshall, NeurIPS 2022, "Active Learning Through a Covering
 * Lens"): greedy maximum coverage of δ-balls. Build the graph with an edge x → y when ‖x − y‖ < δ,
 * drop every point already covered by a labelled point, then repeatedly take the pool point whose
 * ball covers the most uncovered points. Once everything is covered the paper falls back to random
 * picks; so do we.
 *
 * δ: when the `delta` parameter is 0 (the default) it is chosen as in the paper, as the largest δ
 * whose ball purity is at least α = 0.95, purity measured against k-means with one cluster per class:
 * a ball around x is pure when it holds no point of another cluster, i.e. δ ≤ r(x), r(x) the distance
 * from x to its nearest other-cluster point, so δ is the 5 % quantile of r over a sample of points.
 * Like TypiClust we use the raw inputs in place of the paper's self-supervised features.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.js';
import { kMeans } from './kmeans.js';
import { checkBatch, required, type Matrix, type Strategy } from './strategy.js';

export const PROBCOVER_PURITY = 0.95;
const PURITY_SAMPLE = 1000;
const CHUNK_VALUES = 4_000_000;
/** Edges beyond this mean δ is far too large for the data; better to stop than to exhaust memory. */
const MAX_EDGES = 50_000_000;

/** Calls `visit(i, row)` for each chunk of rows `i` with the squared distances to all points. */
async function forEachDistanceRow(points: Matrix, rowsOf: Int32Array, visit: (i: number, d2: Float32Array) => void): Promise<void> {
  const { data, rows: n, dim } = points;
  const chunk = Math.max(1, Math.floor(CHUNK_VALUES / n));
  const all = tf.tensor2d(data, [n, dim]);
  try {
    const norms = tf.tidy(() => tf.sum(tf.square(all), 1));
    try {
      for (let start = 0; start < rowsOf.length; start += chunk) {
        const m = Math.min(chunk, rowsOf.length - start);
        const d = tf.tidy(() => {
          const x = tf.gather(all, tf.tensor1d(rowsOf.subarray(start, start + m), 'int32'));
          return tf.maximum(tf.add(tf.sub(tf.sum(tf.square(x), 1, true), tf.mul(2, tf.matMul(x, all, false, true))), norms), 0);
        });
        const values = (await d.data()) as Float32Array;
        d.dispose();
        for (let a = 0; a < m; a++) visit(rowsOf[start + a], values.subarray(a * n, (a + 1) * n));
      }
    } finally {
      norms.dispose();
    }
  } finally {
    all.dispose();
  }
}

/** The paper's δ: the (1 − α) quantile of each sampled point's distance to its nearest other-cluster point. */
export async function purityDelta(points: Matrix, clusters: number, rng: Rng, alpha = PROBCOVER_PURITY): Promise<number> {
  const { assign } = await kMeans(points, Math.min(clusters, points.rows), rng);
  const sample = rng.permutation(points.rows).subarray(0, Math.min(PURITY_SAMPLE, points.rows));
  const radii: number[] = [];
  await forEachDistanceRow(points, Int32Array.from(sample), (i, d2) => {
    let r = Infinity;
    for (let j = 0; j < d2.length; j++) if (assign[j] !== assign[i] && d2[j] < r) r = d2[j];
    radii.push(Math.sqrt(r));
  });
  radii.sort((a, b) => a - b);
  const q = radii[Math.min(radii.length - 1, Math.floor((1 - alpha) * radii.length))];
  // A single cluster has no impure ball: any δ is pure, so fall back to a ball of the median r.
  return Number.isFinite(q) ? q : 0;
}

/** Greedy max coverage. Rows 0..nPool-1 of `points` are the pool, the rest labelled. → pool positions. */
export async function probCoverPicks(points: Matrix, nPool: number, delta: number, k: number, rng: Rng): Promise<number[]> {
  const n = points.rows;
  const d2max = delta * delta;
  // Adjacency of the δ-graph, self-loops included: a point covers itself.
  let total = 0;
  const covered = new Uint8Array(n);
  const everyRow = Int32Array.from({ length: n }, (_, i) => i);
  const lists = new Array<Int32Array>(n);
  await forEachDistanceRow(points, everyRow, (i, d2) => {
    const nb: number[] = [];
    for (let j = 0; j < n; j++) if (d2[j] < d2max || j === i) nb.push(j);
    total += nb.length;
    if (total > MAX_EDGES) throw new Error(`probcover: δ = ${delta} gives more than ${MAX_EDGES} edges; choose a smaller delta`);
    lists[i] = Int32Array.from(nb);
  });
  // Pool points whose ball holds j. Built from `lists` rather than assumed symmetric, because
  // float32 distances computed in different chunks may round differently near δ.
  const holders: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < nPool; i++) for (const j of lists[i]) holders[j].push(i);
  for (let l = nPool; l < n; l++) for (const j of lists[l]) covered[j] = 1;
  const degree = new Int32Array(nPool);
  for (let i = 0; i < nPool; i++) for (const j of lists[i]) if (!covered[j]) degree[i]++;
  const taken = new Uint8Array(nPool);
  const picks: number[] = [];
  const order = rng.permutation(nPool); // ties broken by a seeded order
  while (picks.length < k) {
    let best = -1;
    for (const i of order) if (!taken[i] && (best < 0 || degree[i] > degree[best])) best = i;
    if (degree[best] === 0) {
      // Everything is covered: the rest of the batch is random, as in the paper.
      const rest = Array.from(order).filter((i) => !taken[i]);
      for (const i of rest.slice(0, k - picks.length)) picks.push(i);
      break;
    }
    taken[best] = 1;
    picks.push(best);
    for (const j of lists[best]) {
      if (covered[j]) continue;
      covered[j] = 1;
      for (const i of holders[j]) degree[i]--;
    }
  }
  return picks;
}

export function probCoverStrategy(params: { delta: number }): Strategy {
  return {
    name: 'probcover',
    needs: new Set(['inputs']),
    async select(ctx, batchSize, rng) {
      checkBatch(ctx, batchSize);
      const inputs = required(ctx.inputs, 'probcover', 'inputs');
      const rows = [...ctx.pool, ...ctx.labeled];
      const dim = inputs.dim;
      const data = new Float32Array(rows.length * dim);
      rows.forEach((r, i) => data.set(inputs.data.subarray(r * dim, (r + 1) * dim), i * dim));
      const points = { data, rows: rows.length, dim };
      const delta = params.delta > 0 ? params.delta : await purityDelta(points, ctx.numClasses, rng.fork('delta'));
      const picks = await probCoverPicks(points, ctx.pool.length, delta, batchSize, rng);
      return { indices: picks.map((p) => ctx.pool[p]) };
    },
  };
}
