/** Uniform random sampling: the baseline every strategy must beat (Mittal et al. 2019; Munjal et al. 2022). */
import type { Strategy } from './strategy.js';
import { PoolExhaustedError } from './strategy.js';

export const randomStrategy: Strategy = {
  name: 'random',
  needs: new Set(),
  async select(ctx, batchSize, rng) {
    if (batchSize > ctx.pool.length) throw new PoolExhaustedError(batchSize, ctx.pool.length);
    const order = rng.permutation(ctx.pool.length);
    return { indices: Array.from(order.subarray(0, batchSize), (p) => ctx.pool[p]) };
  },
};
