/**
 * Stratified train/test splitting and row gathering for datasets without an official test split.
 */
import type { Rng } from '../rng.js';
import { DatasetError, type Split } from './dataset.js';

/** Index sets of a split, each sorted ascending so the train set keeps the source order. */
export interface SplitIndices {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/**
 * Per-class test count for a class of `n` examples: `round(n · testFraction)` (halves round up),
 * then clamped to `[1, n − 1]` when `n ≥ 2` so every class appears on both sides — a class missing
 * from the test set would make per-class metrics undefined, and one missing from the pool could
 * never be queried. A class of one example goes to train.
 *
 * Rounding per class (rather than to an exact global total) keeps each class's proportion as close
 * as possible; the test set size can therefore differ from `round(N · testFraction)` by up to
 * half an example per class.
 */
export function testCountForClass(n: number, testFraction: number): number {
  if (n < 2) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(n * testFraction)));
}

/**
 * Split example indices so each class is divided in the proportion `testFraction`
 * (see `testCountForClass` for the rounding). Which examples of a class go to test is a uniformly
 * random subset drawn from `rng`, visiting classes in ascending id order, so the result depends
 * only on `y`, `testFraction` and the stream.
 */
export function stratifiedSplit(y: Int32Array, testFraction: number, rng: Rng): SplitIndices {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new DatasetError(`testFraction must be in (0, 1), got ${testFraction}`);
  }
  // Group indices by class; ids are non-negative integers (checked here since y comes from files).
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    const c = y[i];
    if (c < 0) throw new DatasetError(`stratifiedSplit: label ${c} at index ${i} is negative`);
    let members = byClass.get(c);
    if (!members) byClass.set(c, (members = []));
    members.push(i);
  }
  const isTest = new Uint8Array(y.length);
  let nTest = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(c)!;
    const k = testCountForClass(members.length, testFraction);
    // Partial Fisher–Yates: the first k slots end up a uniform random k-subset.
    for (let i = 0; i < k; i++) {
      const j = i + rng.int(members.length - i);
      [members[i], members[j]] = [members[j], members[i]];
      isTest[members[i]] = 1;
    }
    nTest += k;
  }
  const train = new Int32Array(y.length - nTest);
  const test = new Int32Array(nTest);
  let a = 0;
  let b = 0;
  for (let i = 0; i < y.length; i++) {
    if (isTest[i]) test[b++] = i;
    else train[a++] = i;
  }
  return { train, test };
}

/** Copy the rows `indices` of a row-major `x` (`rowSize` values per row) and `y` into a new split. */
export function gatherRows(x: Float32Array, y: Int32Array, rowSize: number, indices: Int32Array): Split {
  const gx = new Float32Array(indices.length * rowSize);
  const gy = new Int32Array(indices.length);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    gx.set(x.subarray(i * rowSize, (i + 1) * rowSize), r * rowSize);
    gy[r] = y[i];
  }
  return { x: gx, y: gy, n: indices.length };
}

/** Stratified split of pooled examples straight into `Split`s. */
export function splitRows(
  x: Float32Array,
  y: Int32Array,
  rowSize: number,
  testFraction: number,
  rng: Rng,
): { train: Split; test: Split } {
  const { train, test } = stratifiedSplit(y, testFraction, rng);
  return { train: gatherRows(x, y, rowSize, train), test: gatherRows(x, y, rowSize, test) };
}
