/**
 * ProbCover (Yehuda, Dekel, Hacohen & Weinshall, NeurIPS 2022, "Active Learning Through a Covering
 * Lens"), following the authors' code (github.com/avihu111/TypiClust, deep-al/pycls/al/prob_cover.py):
 * greedy maximum coverage of δ-balls. Build the graph with an edge x → y when ‖x − y‖ < δ (self-loops
 * included), drop every point already covered by a labelled point, then repeatedly take the pool
 * point whose ball covers the most uncovered points (ties: a seeded order; the code takes the lowest index).
 *
 * δ: when the `delta` parameter is 0 (the default) it is chosen as in the paper (§4.2), as the largest
 * δ whose ball purity is at least α = 0.95, purity measured against k-means with one cluster per
 * class: a ball around x is pure when it holds no point of another cluster, i.e. δ ≤ r(x), r(x) the
 * distance from x to its nearest other-cluster point, so δ is the 5 % quantile of r over a sample of
 * points. When k-means leaves a single non-empty cluster every ball is pure and the largest such δ is
 * unbounded: one ball covers everything (δ = ∞, noted), rather than the δ = 0 (pure random) of before.
 *
 * Features (`features.ts`): self-supervised embeddings by default, as in the paper;
 * `probcover-raw` and `probcover-model` run on the inputs or the task model's embeddings.
 *
 * Full coverage (max degree 0) is not defined by the paper; the code's `degrees.argmax()` of an
 * all-zero vector returns row 0, a labelled point, i.e. it breaks. The `fullCoverage` parameter says
 * what happens, and `Selection.notes` records that it fired and after how many picks:
 * 0 (default): the rest of the batch in the seeded order (random);
 * 1: halve δ and continue greedy coverage with the labelled set and the picks so far as covering
 *    points, up to 30 halvings (then the seeded order).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.js';
import { FEATURE_NEED, poolThenLabeled, type FeatureName } from './features.js';
import { kMeans } from './kmeans.js';
import { checkBatch, type Matrix, type Strategy } from './strategy.js';

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

/**
 * The paper's δ: the (1 − α) quantile of each sampled point's distance to its nearest other-cluster
 * point; Infinity when every ball is pure (a single non-empty cluster).
 */
export async function purityDelta(points: Matrix, clusters: number, rng: Rng, alpha = PROBCOVER_PURITY): Promise<number> {
  const { assign } = await kMeans(points, Math.min(clusters, points.rows), rng);
  const sample = rng.permutation(points.rows).subarray(0, Math.min(PURITY_SAMPLE, points.rows));
  return purityRadius(points, assign, Int32Array.from(sample), alpha);
}

/** The (1 − α) quantile over `rows` of r(x), the distance from x to its nearest point of another cluster (∞ if none). */
export async function purityRadius(points: Matrix, assign: ArrayLike<number>, rows: Int32Array, alpha = PROBCOVER_PURITY): Promise<number> {
  const radii: number[] = [];
  await forEachDistanceRow(points, rows, (i, d2) => {
    let r = Infinity;
    for (let j = 0; j < d2.length; j++) if (assign[j] !== assign[i] && d2[j] < r) r = d2[j];
    radii.push(Math.sqrt(r));
  });
  radii.sort((a, b) => a - b);
  // r = ∞ for a point with no other-cluster point at all; with one cluster the quantile is ∞.
  return radii[Math.min(radii.length - 1, Math.floor((1 - alpha) * radii.length))];
}

export interface ProbCoverPicks {
  /** Pool positions, in the order picked. */
  readonly picks: number[];
  /** Picks made by greedy coverage before coverage was full (= picks.length when it never was). */
  readonly greedy: number;
}

/**
 * Greedy max coverage. Rows 0..nPool-1 of `points` are the pool, the rest labelled; `covering`
 * lists pool positions that cover like labelled points and cannot be picked (earlier picks).
 * Stops at full coverage (max degree 0) or after k picks.
 */
export async function probCoverGreedy(points: Matrix, nPool: number, delta: number, k: number, order: Int32Array, covering: readonly number[] = []): Promise<number[]> {

  const n = points.rows;
  const d2max = delta * delta;
  // Adjacency of the δ-graph, self-loops included: a point covers itself.
  let total = 0;
  const covered = new Uint8Array(n);
  const everyRow = Int32Array.from({ length: n }, (_, i) => i);
  const lists = new Array<Int32Array>(n);
  await forEachDistanceRow(points, everyRow, (i, d2) => {
    const nb: number[] = [];
    for (let j = 0; j < n; j++) if (d2[j] < d2max || j === i || delta === Infinity) nb.push(j);
    total += nb.length;
    if (total > MAX_EDGES) throw new Error(`probcover: δ = ${delta} gives more than ${MAX_EDGES} edges; choose a smaller delta`);
    lists[i] = Int32Array.from(nb);
  });
  // Pool points whose ball holds j. Built from `lists` rather than assumed symmetric, because
  // float32 distances computed in different chunks may round differently near δ.
  const holders: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < nPool; i++) for (const j of lists[i]) holders[j].push(i);
  for (let l = nPool; l < n; l++) for (const j of lists[l]) covered[j] = 1;
  const taken = new Uint8Array(nPool);
  for (const c of covering) {
    taken[c] = 1;
    for (const j of lists[c]) covered[j] = 1;
  }
  const degree = new Int32Array(nPool);
  for (let i = 0; i < nPool; i++) for (const j of lists[i]) if (!covered[j]) degree[i]++;
  const picks: number[] = [];
  while (picks.length < k) {
    let best = -1;
    for (const i of order) if (!taken[i] && (best < 0 || degree[i] > degree[best])) best = i;
    if (best < 0 || degree[best] === 0) break;
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

const MAX_HALVINGS = 30;

/**
 * ProbCover's batch: greedy coverage, then the `fullCoverage` rule (file header) once everything
 * is covered. Ties and the seeded-order rest come from one permutation drawn from `rng`.
 */
export async function probCoverPicks(points: Matrix, nPool: number, delta: number, k: number, rng: Rng, fullCoverage = 0): Promise<ProbCoverPicks> {
  const order = rng.permutation(nPool);
  const picks = await probCoverGreedy(points, nPool, delta, k, order);
  const greedy = picks.length;
  let d = delta;
  for (let halving = 0; fullCoverage === 1 && picks.length < k && halving < MAX_HALVINGS; halving++) {
    d = d === Infinity ? Math.sqrt(maxSquaredNorm(points)) * 2 : d / 2;
    picks.push(...(await probCoverGreedy(points, nPool, d, k - picks.length, order, picks)));
  }
  if (picks.length < k) {
    const taken = new Set(picks);
    for (const i of order) if (picks.length < k && !taken.has(i)) picks.push(i);
  }
  return { picks, greedy };
}

/** Largest ‖x‖² over the rows (bounds the diameter when δ = ∞ is first halved). */
function maxSquaredNorm(points: Matrix): number {
  let best = 0;
  for (let i = 0; i < points.rows; i++) {
    let s = 0;
    for (let j = 0; j < points.dim; j++) s += points.data[i * points.dim + j] ** 2;
    best = Math.max(best, s);
  }
  return best;
}

export interface ProbCoverParams {
  readonly delta: number;
  /** 0: after full coverage the rest in seeded order; 1: halve δ and continue (file header). */
  readonly fullCoverage: number;
}

/** `encoder`: the self-supervised encoder's settings when `features` is selfsup. */
export function probCoverStrategy(name: string, features: FeatureName, params: ProbCoverParams, encoder?: Readonly<Record<string, number>>): Strategy {
  return {
    name,
    needs: new Set([FEATURE_NEED[features]]),
    ...(encoder ? { needOptions: { selfsup: encoder } } : {}),
    async select(ctx, batchSize, rng) {
      checkBatch(ctx, batchSize);
      const points = poolThenLabeled(ctx, features, name);
      const notes: string[] = [];
      const delta = params.delta > 0 ? params.delta : await purityDelta(points, ctx.numClasses, rng.fork('delta'));
      if (delta === Infinity) notes.push(`${name}: k-means found one cluster, so every ball is pure and δ = ∞ (one ball covers the pool)`);
      const { picks, greedy } = await probCoverPicks(points, ctx.pool.length, delta, batchSize, rng, params.fullCoverage);
      if (greedy < batchSize) {
        const rule = params.fullCoverage === 1 ? 'δ halved until coverage was partial again' : 'the rest in seeded (random) order';
        notes.push(`${name}: full coverage at δ = ${delta.toPrecision(4)} after ${greedy} of ${batchSize} picks; ${rule}`);
      }
      return { indices: picks.map((p) => ctx.pool[p]), ...(notes.length ? { notes } : {}) };
    },
  };
}
