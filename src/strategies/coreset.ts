/**
 * Core-set selection by k-center greedy (Sener & Savarese, ICLR 2018, "Active Learning for
 * Convolutional Neural Networks: A Core-Set Approach", Algorithm 1) on the task model's
 * penultimate-layer embeddings of the labelled set and the pool. Deterministic: ties go to the
 * lowest pool position, so the rng is unused.
 */
import { kCenterGreedyRows } from './k-center.js';
import { checkBatch, required, type Strategy } from './strategy.js';

export const coresetStrategy: Strategy = {
  name: 'coreset',
  needs: new Set(['embeddings']),
  async select(ctx, batchSize) {
    checkBatch(ctx, batchSize);
    const pool = required(ctx.embeddings, 'coreset', 'embeddings');
    const lab = required(ctx.labeledEmbeddings, 'coreset', 'embeddings');
    // Rows 0..n-1 are the pool, n.. the labelled set (the centres).
    const n = pool.rows;
    const data = new Float32Array((n + lab.rows) * pool.dim);
    data.set(pool.data, 0);
    data.set(lab.data, n * pool.dim);
    const centers = Int32Array.from({ length: lab.rows }, (_, i) => n + i);
    const candidates = Int32Array.from({ length: n }, (_, i) => i);
    const { picks } = kCenterGreedyRows({ data, rows: n + lab.rows, dim: pool.dim }, centers, batchSize, candidates);
    return { indices: picks.map((p) => ctx.pool[p]) };
  },
};
