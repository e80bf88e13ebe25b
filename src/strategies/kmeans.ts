/**
 * Seeded (optionally weighted) k-means: k-means++ seeding (Arthur & Vassilvitskii, SODA 2007,
 * "k-means++: The Advantages of Careful Seeding") and Lloyd iterations (Lloyd 1982). Used by
 * TypiClust, ProbCover's δ choice and diverse-minibatch. The assignment step, the O(n·k·d) part, is
 * one tfjs matmul per chunk: ‖x − c‖² = ‖x‖² − 2x·c + ‖c‖².
 *
 * k-means++ draws centre c+1 with probability ∝ w(x)·D(x)², D the distance to the nearest centre
 * so far. When every weight·D² is 0 (fewer distinct weighted points than k: every point already is
 * a centre) the paper's rule is undefined. We then draw ∝ w(x) alone, i.e. a duplicate centre that
 * Lloyd leaves as an empty cluster; `uniformDraws` counts how often that happened, so callers can
 * report it (Selection.notes) instead of it passing silently.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.js';
import type { Matrix } from './strategy.js';

export interface KMeansResult {
  /** `[k, dim]`. */
  readonly centers: Float32Array;
  /** Cluster of each row, `[rows]`. */
  readonly assign: Int32Array;
  /** Squared distance of each row to its centre. */
  readonly dist2: Float32Array;
  /** Centres drawn ∝ weight alone because every weight·D² was 0 (see the file header). */
  readonly uniformDraws: number;
}

const CHUNK_VALUES = 4_000_000;

/** Nearest centre of each row. points: [n, d], centers: [k, d]. */
export async function assignToCenters(points: Matrix, centers: Float32Array, k: number): Promise<{ assign: Int32Array; dist2: Float32Array }> {
  const { rows: n, dim } = points;
  const assign = new Int32Array(n);
  const dist2 = new Float32Array(n);
  const chunk = Math.max(1, Math.floor(CHUNK_VALUES / Math.max(k, dim)));
  const c = tf.tensor2d(centers, [k, dim]);
  try {
    const cNorm = tf.tidy(() => tf.sum(tf.square(c), 1));
    try {
      for (let start = 0; start < n; start += chunk) {
        const m = Math.min(chunk, n - start);
        const [idx, best] = tf.tidy(() => {
          const x = tf.tensor2d(points.data.subarray(start * dim, (start + m) * dim), [m, dim]);
          const d = tf.add(tf.sub(tf.sum(tf.square(x), 1, true), tf.mul(2, tf.matMul(x, c, false, true))), cNorm);
          return [tf.argMin(d, 1), tf.min(d, 1)];
        });
        assign.set(await idx.data(), start);
        const b = await best.data();
        for (let i = 0; i < m; i++) dist2[start + i] = Math.max(0, b[i]);
        tf.dispose([idx, best]);
      }
    } finally {
      cNorm.dispose();
    }
  } finally {
    c.dispose();
  }
  return { assign, dist2 };
}

/** k-means++ then Lloyd until assignments settle or `iterations` pass. Empty clusters keep their centre. */
export async function kMeans(points: Matrix, k: number, rng: Rng, options: { weights?: ArrayLike<number>; iterations?: number } = {}): Promise<KMeansResult> {
  const { data, rows: n, dim } = points;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k-means: k must be an integer in [1, ${n}], got ${k}`);
  const w = options.weights ?? new Float32Array(n).fill(1);
  const centers = new Float32Array(k * dim);
  // k-means++: first centre drawn by weight, later ones by weight · D².
  const d2 = new Float64Array(n).fill(Infinity);
  let uniformDraws = 0;
  const first = draw(n, (i) => w[i], rng);
  if (first < 0) throw new RangeError('k-means: every weight is 0 (or not finite); nothing to cluster');
  let next = first;
  for (let c = 0; c < k; c++) {
    centers.set(data.subarray(next * dim, (next + 1) * dim), c * dim);
    if (c === k - 1) break;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const diff = data[i * dim + j] - centers[c * dim + j];
        s += diff * diff;
      }
      if (s < d2[i]) d2[i] = s;
    }
    next = draw(n, (i) => w[i] * d2[i], rng);
    if (next < 0) {
      uniformDraws++;
      next = draw(n, (i) => w[i], rng);
    }
  }
  let { assign, dist2 } = await assignToCenters(points, centers, k);
  for (let iter = 0; iter < (options.iterations ?? 20); iter++) {
    const sums = new Float64Array(k * dim);
    const mass = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const a = assign[i];
      mass[a] += w[i];
      for (let j = 0; j < dim; j++) sums[a * dim + j] += w[i] * data[i * dim + j];
    }
    for (let c = 0; c < k; c++) if (mass[c] > 0) for (let j = 0; j < dim; j++) centers[c * dim + j] = sums[c * dim + j] / mass[c];
    const again = await assignToCenters(points, centers, k);
    const changed = again.assign.some((a, i) => a !== assign[i]);
    ({ assign, dist2 } = again);
    if (!changed) break;
  }
  return { centers, assign, dist2, uniformDraws };
}

/** An index drawn ∝ weight(i); −1 when the weights sum to 0 or are not finite. */
export function draw(n: number, weight: (i: number) => number, rng: Rng): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += weight(i);
  if (!(total > 0) || !Number.isFinite(total)) return -1;
  let u = rng.next() * total;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const v = weight(i);
    if (v <= 0) continue;
    last = i;
    u -= v;
    if (u < 0) return i;
  }
  return last;
}
