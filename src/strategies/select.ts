import type { Rng } from '../rng.js';
import { PoolExhaustedError } from './strategy.js';

/**
 * Positions of the `k` highest scores, highest first. Ties are broken by the rng, not by position,
 * so a strategy never inherits a bias towards low indices.
 *
 * scores: [n] → positions: [k]
 */
export function selectTopK(scores: ArrayLike<number>, k: number, rng: Rng): number[] {
  const n = scores.length;
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`selectTopK: k must be a non-negative integer, got ${k}`);
  if (k > n) throw new PoolExhaustedError(k, n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`selectTopK: score at position ${i} is NaN`);
  }
  // Equal scores go in the order of a random permutation: the order a stable sort of the permuted
  // positions by score would give. Kept k at a time in a heap (O(n log k), not a sort of the pool).
  const perm = rng.permutation(n);
  const rank = new Int32Array(n);
  for (let p = 0; p < n; p++) rank[perm[p]] = p;
  const before = (a: number, b: number) => scores[a] > scores[b] || (!(scores[a] < scores[b]) && rank[a] < rank[b]);
  return topK(n, k, before);
}

/**
 * The k first of 0..n−1 under the strict total order `before`, in that order. A binary heap whose
 * root is the last of the kept ones; each position either displaces it or is dropped.
 */
function topK(n: number, k: number, before: (a: number, b: number) => boolean): number[] {
  const heap: number[] = [];
  const siftDown = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let last = at;
      if (l < heap.length && before(heap[last], heap[l])) last = l;
      if (r < heap.length && before(heap[last], heap[r])) last = r;
      if (last === at) return;
      [heap[at], heap[last]] = [heap[last], heap[at]];
      at = last;
    }
  };
  for (let i = 0; i < n && k > 0; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let at = heap.length - 1; at > 0; ) {
        const parent = (at - 1) >> 1;
        if (!before(heap[parent], heap[at])) break;
        [heap[parent], heap[at]] = [heap[at], heap[parent]];
        at = parent;
      }
    } else if (before(i, heap[0])) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : 1));
}
