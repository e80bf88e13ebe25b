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
  // A random permutation followed by a stable sort leaves equal scores in random order.
  const order = Array.from(rng.permutation(n));
  order.sort((a, b) => scores[b] - scores[a]);
  return order.slice(0, k);
}
