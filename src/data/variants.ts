/**
 * Dataset variants, applicable to any data set and recorded in the cell config (so in the cell id):
 *
 * - `imbalance`: a long-tailed training pool after Cui et al. (CVPR 2019, "Class-Balanced Loss
 *   Based on Effective Number of Samples"), the construction behind CIFAR-10-LT (also Cao et al.,
 *   NeurIPS 2019, LDAM): class k keeps n_k = ⌊n_max · ratio^(−k/(K−1))⌋ examples, class 0 the most,
 *   class K−1 `ratio` times fewer. The test set is left as it is, as in those benchmarks.
 * - `poolSize`: a stratified subset of the training pool.
 * - `testSize`: a stratified subset of the fixed test set.
 * - `normalize: standardize`: per-channel (images) or per-feature mean/std, from the training
 *   pool only (after the variants above), applied to train and test.
 *
 * All subsets are drawn from streams forked off the dataset's `splitSeed`, so every cell of a study
 * sees the same pool and test set. The base data set is never modified (it is cached and shared).
 */
import type { DatasetConfig } from '../spec/types.js';
import { createRng, type Rng } from '../rng.js';
import { recipeChecksum } from './checksum.js';
import { DatasetError, featureSize, type Dataset, type Split } from './dataset.js';
import { gatherRows } from './split.js';

/** Indices of each class, in ascending order, for classes 0..numClasses−1. */
function byClass(y: Int32Array, numClasses: number): number[][] {
  const out = Array.from({ length: numClasses }, () => [] as number[]);
  for (let i = 0; i < y.length; i++) out[y[i]].push(i);
  return out;
}

/** A uniform random `k`-subset of `members` (partial Fisher–Yates on a copy). */
function pick(members: readonly number[], k: number, rng: Rng): number[] {
  const a = members.slice();
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k);
}

function sortedIndices(groups: readonly number[][]): Int32Array {
  return Int32Array.from(groups.flat()).sort();
}

/** Class sizes of the long-tail profile: n_k = ⌊nMax · ratio^(−k/(K−1))⌋, at least 1. */
export function longTailCounts(nMax: number, numClasses: number, ratio: number): number[] {
  if (numClasses < 2) return [nMax];
  return Array.from({ length: numClasses }, (_, k) => Math.max(1, Math.floor(nMax * ratio ** (-k / (numClasses - 1)))));
}

/**
 * Long-tailed subset of a split's indices. n_max is the smallest class's size, so every class can
 * reach its target whatever the source's own balance; on balanced data (CIFAR-10: 5,000 a class)
 * this is exactly the CIFAR-10-LT recipe.
 */
export function longTailIndices(y: Int32Array, numClasses: number, ratio: number, rng: Rng): Int32Array {
  const groups = byClass(y, numClasses);
  const present = groups.filter((g) => g.length > 0);
  if (present.length < numClasses) {
    const empty = groups.map((g, k) => (g.length === 0 ? k : -1)).filter((k) => k >= 0);
    throw new DatasetError(`imbalance: the training pool has no examples of class(es) ${empty.join(', ')}; a long-tail profile needs every class`);
  }
  const nMax = Math.min(...groups.map((g) => g.length));
  const counts = longTailCounts(nMax, numClasses, ratio);
  return sortedIndices(groups.map((g, k) => pick(g, counts[k], rng.fork('class', k))));
}

/**
 * Per-class sizes for a stratified subset of `size` from classes of sizes `sizes`: proportional,
 * rounded by largest remainder (ties to the lower class id) so they sum to `size` exactly, and at
 * least one per non-empty class when `size` allows, so no class vanishes from the pool.
 */
export function stratifiedCounts(sizes: readonly number[], size: number): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (size > total) throw new DatasetError(`stratified subset of ${size} requested from only ${total} examples`);
  const nonEmpty = sizes.filter((s) => s > 0).length;
  const floor1 = size >= nonEmpty;
  const exact = sizes.map((s) => (size * s) / total);
  const counts = exact.map((e, k) => (sizes[k] > 0 && floor1 ? Math.max(1, Math.floor(e)) : Math.floor(e)));
  let left = size - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, k) => [e - Math.floor(e), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  // Hand out the remainder by largest fraction; take back (from the largest classes) if the
  // at-least-one floor overshot.
  for (const [, k] of order) {
    if (left <= 0) break;
    if (counts[k] < sizes[k]) {
      counts[k]++;
      left--;
    }
  }
  while (left < 0) {
    const k = counts.indexOf(Math.max(...counts));
    counts[k]--;
    left++;
  }
  return counts;
}

/** A seeded stratified subset of `size` indices of `y`, ascending. */
export function stratifiedSubset(y: Int32Array, numClasses: number, size: number, rng: Rng): Int32Array {
  const groups = byClass(y, numClasses);
  const counts = stratifiedCounts(
    groups.map((g) => g.length),
    size,
  );
  return sortedIndices(groups.map((g, k) => pick(g, counts[k], rng.fork('class', k))));
}

/** Per-channel (`[h, w, c]` shapes) or per-feature mean and population std of a split, in float64. */
export function standardizationStats(split: Split, shape: readonly number[]): { mean: number[]; std: number[] } {
  const channels = shape.length === 3 ? shape[2] : featureSize(shape);
  const rowSize = featureSize(shape);
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  const x = split.x;
  for (let i = 0; i < x.length; i++) {
    const c = (i % rowSize) % channels;
    sum[c] += x[i];
  }
  const count = (split.n * rowSize) / channels;
  const mean = Array.from(sum, (s) => s / count);
  for (let i = 0; i < x.length; i++) {
    const c = (i % rowSize) % channels;
    const d = x[i] - mean[c];
    sumSq[c] += d * d;
  }
  // A constant feature (blank border pixels) would divide by zero; leave its scale alone.
  const std = Array.from(sumSq, (s) => {
    const sd = Math.sqrt(s / count);
    return sd > 1e-8 ? sd : 1;
  });
  return { mean, std };
}

function standardize(split: Split, shape: readonly number[], stats: { mean: number[]; std: number[] }): Split {
  const channels = stats.mean.length;
  const rowSize = featureSize(shape);
  const x = new Float32Array(split.x.length);
  for (let i = 0; i < x.length; i++) {
    const c = (i % rowSize) % channels;
    x[i] = (split.x[i] - stats.mean[c]) / stats.std[c];
  }
  return { x, y: split.y, n: split.n };
}

/** The variant fields a config sets (only those that change the data). */
export function variantRecipe(config: DatasetConfig): Record<string, number | string> {
  const recipe: Record<string, number | string> = {};
  if (config.imbalance !== undefined && config.imbalance !== 1) recipe.imbalance = config.imbalance;
  if (config.poolSize !== undefined) recipe.poolSize = config.poolSize;
  if (config.testSize !== undefined) recipe.testSize = config.testSize;
  if (config.normalize !== undefined && config.normalize !== 'none') recipe.normalize = config.normalize;
  return recipe;
}

function classCounts(y: Int32Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const c of y) counts[c]++;
  return counts;
}

/** Apply the config's variants to a loaded base data set; returns `base` itself when there are none. */
export function applyVariants(base: Dataset, config: DatasetConfig): Dataset {
  const recipe = variantRecipe(config);
  if (Object.keys(recipe).length === 0) return base;
  const rng = createRng(config.splitSeed ?? 0).fork('dataset-variant', base.name);
  const rowSize = featureSize(base.shape);
  let train = base.train;
  let test = base.test;
  const notes: string[] = [];

  if (recipe.imbalance !== undefined) {
    train = gatherRows(train.x, train.y, rowSize, longTailIndices(train.y, base.numClasses, config.imbalance!, rng.fork('imbalance')));
    notes.push(`long-tailed pool (Cui et al. 2019) ratio ${config.imbalance}: class sizes [${classCounts(train.y, base.numClasses).join(', ')}]`);
  }
  if (config.poolSize !== undefined) {
    if (config.poolSize > train.n) {
      throw new DatasetError(`${base.name}: poolSize ${config.poolSize} exceeds the ${train.n} training examples${recipe.imbalance ? ' left after imbalance' : ''}; allowed: ≤ ${train.n}`);
    }
    train = gatherRows(train.x, train.y, rowSize, stratifiedSubset(train.y, base.numClasses, config.poolSize, rng.fork('pool')));
    notes.push(`stratified pool subset of ${config.poolSize}`);
  }
  if (config.testSize !== undefined) {
    if (config.testSize > test.n) {
      throw new DatasetError(`${base.name}: testSize ${config.testSize} exceeds the ${test.n} test examples; allowed: ≤ ${test.n}`);
    }
    test = gatherRows(test.x, test.y, rowSize, stratifiedSubset(test.y, base.numClasses, config.testSize, rng.fork('test')));
    notes.push(`stratified test subset of ${config.testSize}`);
  }
  let normalization: Dataset['normalization'];
  if (config.normalize === 'standardize') {
    const stats = standardizationStats(train, base.shape);
    train = standardize(train, base.shape, stats);
    test = standardize(test, base.shape, stats);
    normalization = stats;
    notes.push(`standardised with ${stats.mean.length} ${base.shape.length === 3 ? 'channel' : 'feature'} mean/std from the training pool`);
  }
  return {
    ...base,
    train,
    test,
    checksum: recipeChecksum(base.checksum, { ...recipe, splitSeed: config.splitSeed ?? 0 }),
    source: `${base.source}; variants (splitSeed ${config.splitSeed ?? 0}): ${notes.join('; ')} → ${train.n} train / ${test.n} test`,
    normalization,
  };
}
