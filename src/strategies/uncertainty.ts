/**
 * Uncertainty sampling (Lewis & Gale 1994): query the pool examples the current model is least sure
 * of. One strategy object per score; the scoring math lives in `uncertainty-scores.ts`.
 */
import { selectTopK } from './select.js';
import type { SelectionContext, Strategy } from './strategy.js';

type ProbScore = (probs: Float32Array, numClasses: number) => Float32Array;

export function uncertaintyStrategy(name: string, score: ProbScore): Strategy {
  return {
    name,
    needs: new Set(['probs']),
    async select(ctx: SelectionContext, batchSize, rng) {
      if (!ctx.probs) throw new Error(`strategy ${name} needs 'probs' but the loop did not provide them`);
      const positions = selectTopK(score(ctx.probs, ctx.numClasses), batchSize, rng);
      return { indices: positions.map((p) => ctx.pool[p]) };
    },
  };
}
