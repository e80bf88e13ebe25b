/**
 * The representation a distance-based strategy works in (`features` of TypiClust and ProbCover):
 *
 * - `selfsup`: embeddings of a self-supervised encoder (SimCLR, Chen et al. 2020) pretrained without
 *   labels on the training pool; the papers' choice (Hacohen et al. 2022 §4; Yehuda et al. 2022 §5).
 * - `model`: the task model's penultimate embeddings of the round.
 * - `raw`: the inputs themselves.
 */
import { required, type Matrix, type Need, type SelectionContext } from './strategy.js';

export const FEATURE_NAMES = ['selfsup', 'model', 'raw'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

export const FEATURE_NEED: Readonly<Record<FeatureName, Need>> = { selfsup: 'selfsupEmbeddings', model: 'embeddings', raw: 'inputs' };

/** Rows of the pool then the labelled set, in that order, in the chosen representation: `[pool + labelled, dim]`. */
export function poolThenLabeled(ctx: SelectionContext, features: FeatureName, strategy: string): Matrix {
  if (features === 'model') {
    const pool = required(ctx.embeddings, strategy, 'embeddings');
    const lab = required(ctx.labeledEmbeddings, strategy, 'embeddings');
    const data = new Float32Array((pool.rows + lab.rows) * pool.dim);
    data.set(pool.data.subarray(0, pool.rows * pool.dim));
    data.set(lab.data.subarray(0, lab.rows * lab.dim), pool.rows * pool.dim);
    return { data, rows: pool.rows + lab.rows, dim: pool.dim };
  }
  // Both are indexed by training-set index.
  const all = features === 'selfsup' ? required(ctx.selfsupEmbeddings, strategy, 'selfsupEmbeddings') : required(ctx.inputs, strategy, 'inputs');
  const rows = [...ctx.pool, ...ctx.labeled];
  const dim = all.dim;
  const data = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => data.set(all.data.subarray(r * dim, (r + 1) * dim), i * dim));
  return { data, rows: rows.length, dim };
}
