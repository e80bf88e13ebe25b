/**
 * Label dispersion (Zolfaghari Bengar, Raducanu & van de Weijer, CAIP 2021, arXiv:2107.14707,
 * "When Deep Learners Change Their Mind: Learning Dynamics for Active Learning"): how often the
 * task model changes its mind about an unlabelled example while it trains. With ŷ_e(x) the label
 * predicted at the end of epoch e of the round's training and E the epochs recorded,
 *
 *   dispersion(x) = 1 − (count of the most frequent ŷ_e(x) over e) / E,
 *
 * the variation ratio (Freeman 1965) taken over epochs instead of dropout passes, so the math is
 * `variationRatioScores` of sample-scores.ts on the `[E, n, C]` stack. The examples with the most
 * dispersed predictions are queried.
 *
 * Training hook: the strategy declares the `epochProbs` need; the loop records the pool's softmax
 * outputs after every epoch of the task model's training (loop/training-needs.ts), on the pool rows
 * only, and the recording changes no weight. The paper records the predictions during training
 * the same way (every epoch, on the unlabelled pool).
 */
import { variationRatioScores } from './sample-scores.js';
import { selectTopK } from './select.js';
import { checkBatch, required, type Strategy } from './strategy.js';

/** epochProbs: [E, n, C] → dispersion: [n]. */
export function labelDispersionScores(epochProbs: Float32Array, epochs: number, numClasses: number): Float32Array {
  return variationRatioScores({ data: epochProbs, samples: epochs, numClasses });
}

export const labelDispersionStrategy: Strategy = {
  name: 'label-dispersion',
  needs: new Set(['epochProbs']),
  async select(ctx, batchSize, rng) {
    checkBatch(ctx, batchSize);
    const recorded = required(ctx.epochProbs, 'label-dispersion', 'epochProbs');
    if (recorded.epochs < 1) throw new Error('label-dispersion: no training epoch was recorded');
    const scores = labelDispersionScores(recorded.data, recorded.epochs, ctx.numClasses);
    return { indices: selectTopK(scores, batchSize, rng).map((p) => ctx.pool[p]) };
  },
};
