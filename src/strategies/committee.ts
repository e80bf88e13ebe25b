/**
 * Committee-based acquisition over K seeded members: deep ensembles (Beluch, Genewein, Nürnberger &
 * Köhler, CVPR 2018, "The power of ensembles for active learning in image classification") with
 * variation ratio and entropy of the mean, and query-by-committee (McCallum & Nigam, ICML 1998,
 * "Employing EM and Pool-Based Active Learning for Text Classification") with vote entropy,
 * consensus entropy and mean KL to the consensus. Member 0 is the task model; the loop trains the
 * others from their own weight and data-order streams (`committeeProbs`, see loop/needs.ts).
 */
import type { SampleStack } from './sample-scores.js';
import { selectTopK } from './select.js';
import { checkBatch, required, type Strategy } from './strategy.js';

export function committeeStrategy(name: string, score: (s: SampleStack) => Float32Array, members: number): Strategy {
  return {
    name,
    needs: new Set(['committeeProbs']),
    needOptions: { committeeSize: members },
    async select(ctx, batchSize, rng) {
      checkBatch(ctx, batchSize);
      const committee = required(ctx.committeeProbs, name, 'committeeProbs');
      const scores = score({ data: committee.data, samples: committee.members, numClasses: ctx.numClasses });
      return { indices: selectTopK(scores, batchSize, rng).map((p) => ctx.pool[p]) };
    },
  };
}
