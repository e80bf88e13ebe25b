/**
 * BADGE (Ash, Zhang, Krishnamurthy, Langford & Agarwal, ICLR 2020, "Deep Batch Active Learning by
 * Diverse, Uncertain Gradient Lower Bounds"): k-means++ seeding (Arthur & Vassilvitskii 2007) on the
 * last-layer gradient embeddings with the hypothesised label. As in the authors' code, the first
 * centre is the embedding of largest norm, and each later one is drawn with probability ∝ D², D the
 * distance to the nearest chosen centre.
 *
 * Distances use the factorised form (grad-embeddings.ts), O(n·(C + d)) per pick instead of O(n·C·d).
 * When every remaining D is 0 (identical gradients), the draw is uniform over the unpicked rows, so
 * the batch is still distinct — the authors' code would loop forever there.
 */
import { gradDot, gradSquaredNorms } from './grad-embeddings.js';
import { checkBatch, required, type GradEmbeddings, type Strategy } from './strategy.js';
import type { Rng } from '../rng.js';

/** Pool positions of the k-means++ seeds, in pick order. */
export function badgeSeeds(g: GradEmbeddings, k: number, rng: Rng): number[] {
  const n = g.features.rows;
  if (k > n) throw new RangeError(`BADGE: cannot pick ${k} of ${n} rows`);
  if (k === 0) return [];
  const norms = gradSquaredNorms(g);
  let first = 0;
  for (let i = 1; i < n; i++) if (norms[i] > norms[first]) first = i;
  const picks = [first];
  const picked = new Uint8Array(n);
  picked[first] = 1;
  const d2 = new Float64Array(n).fill(Infinity);
  while (picks.length < k) {
    const c = picks[picks.length - 1];
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (picked[i]) {
        d2[i] = 0;
        continue;
      }
      // ‖g_i − g_c‖² = ‖g_i‖² + ‖g_c‖² − 2⟨g_i, g_c⟩, clamped against rounding.
      const d = Math.max(0, norms[i] + norms[c] - 2 * gradDot(g, i, c));
      if (d < d2[i]) d2[i] = d;
      total += d2[i];
    }
    let next = -1;
    if (total > 0) {
      let u = rng.next() * total;
      for (let i = 0; i < n; i++) {
        if (picked[i] || d2[i] === 0) continue;
        next = i;
        u -= d2[i];
        if (u < 0) break;
      }
    } else {
      const remaining: number[] = [];
      for (let i = 0; i < n; i++) if (!picked[i]) remaining.push(i);
      next = remaining[rng.int(remaining.length)];
    }
    picks.push(next);
    picked[next] = 1;
  }
  return picks;
}

export const badgeStrategy: Strategy = {
  name: 'badge',
  needs: new Set(['gradEmbeddings']),
  async select(ctx, batchSize, rng) {
    checkBatch(ctx, batchSize);
    const g = required(ctx.gradEmbeddings, 'badge', 'gradEmbeddings');
    return { indices: badgeSeeds(g, batchSize, rng).map((p) => ctx.pool[p]) };
  },
};
