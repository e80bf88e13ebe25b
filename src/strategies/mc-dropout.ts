/**
 * The MC-dropout acquisition family of Gal, Islam & Ghahramani, ICML 2017, "Deep Bayesian Active
 * Learning with Image Data": BALD (Houlsby et al. 2011), variation ratios (Freeman 1965), mean STD
 * (Kampffmeyer et al. 2016) and max entropy, each over T dropout passes with seeded masks. The loop
 * computes the passes (`mcProbs`, see models/mc-dropout.ts); the math is in sample-scores.ts.
 */
import type { SampleStack } from './sample-scores.js';
import { selectTopK } from './select.js';
import { checkBatch, required, type Strategy } from './strategy.js';

export interface McDropoutParams {
  /** Number of stochastic forward passes T. */
  readonly passes: number;
  /** Dropout rate of the seeded masks. */
  readonly dropoutRate: number;
}

export function mcDropoutStrategy(name: string, score: (s: SampleStack) => Float32Array, params: McDropoutParams): Strategy {
  return {
    name,
    needs: new Set(['mcProbs']),
    needOptions: { mcPasses: params.passes, dropoutRate: params.dropoutRate },
    async select(ctx, batchSize, rng) {
      checkBatch(ctx, batchSize);
      const mc = required(ctx.mcProbs, name, 'mcProbs');
      const scores = score({ data: mc.data, samples: mc.passes, numClasses: ctx.numClasses });
      return { indices: selectTopK(scores, batchSize, rng).map((p) => ctx.pool[p]) };
    },
  };
}
