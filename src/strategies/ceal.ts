/**
 * CEAL, cost-effective active learning (Wang, Zhang, Li, Zhang & Lin, IEEE TCSVT 2017, "Cost-Effective
 * Active Learning for Deep Image Classification"): query the most uncertain examples (entropy, one
 * of the paper's criteria), and pseudo-label the confident ones, entropy below δ, with the model's
 * prediction. δ decays linearly, δ_t = δ₀ − d_r·t (their Algorithm 1, t the round here), so the
 * bar for trusting a prediction rises as real labels accumulate. The paper sets δ₀ and d_r per
 * dataset; the defaults (δ₀ = 0.05, d_r = 0.0033) are of that order and do yield pseudo-labels on
 * digits, where a threshold of 0.005 gave none in our runs. Set them in the spec to match a paper setting.
 *
 * The pseudo-labels travel with the selection; the loop adds them to the next training only, records
 * them, and never counts them as labels spent.
 */
import { selectTopK } from './select.js';
import { checkBatch, required, type Strategy } from './strategy.js';
import { entropyScores } from './uncertainty-scores.js';

export interface CealParams {
  /** Initial entropy threshold δ₀. */
  readonly delta0: number;
  /** Threshold decay per round d_r. */
  readonly decay: number;
}

export function cealStrategy(params: CealParams): Strategy {
  return {
    name: 'ceal',
    needs: new Set(['probs']),
    async select(ctx, batchSize, rng) {
      checkBatch(ctx, batchSize);
      const probs = required(ctx.probs, 'ceal', 'probs');
      const c = ctx.numClasses;
      const scores = entropyScores(probs, c);
      const picks = selectTopK(scores, batchSize, rng);
      const chosen = new Set(picks);
      const delta = params.delta0 - params.decay * ctx.round;
      const indices: number[] = [];
      const labels: number[] = [];
      for (let i = 0; i < ctx.pool.length; i++) {
        if (chosen.has(i) || !(scores[i] < delta)) continue;
        let best = 0;
        for (let j = 1; j < c; j++) if (probs[i * c + j] > probs[i * c + best]) best = j;
        indices.push(ctx.pool[i]);
        labels.push(best);
      }
      return { indices: picks.map((p) => ctx.pool[p]), ...(indices.length > 0 ? { pseudoLabels: { indices, labels } } : {}) };
    },
  };
}
