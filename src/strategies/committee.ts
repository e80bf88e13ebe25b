/**
 * Committee-based acquisition over K seeded members, trained by the loop (`committeeProbs`) with
 * the cell's recipe. Two committees, two families of methods:
 *
 * - Deep ensembles (Beluch, Genewein, Nürnberger & Köhler, CVPR 2018, "The power of ensembles for
 *   active learning in image classification"): independently initialised networks, each trained on
 *   all labelled data (`bootstrap: false`); scored by variation ratio or the entropy of the mean.
 * - Query-by-committee with bagging (Abe & Mamitsuka, ICML 1998, "Query Learning Strategies Using
 *   Boosting and Bagging"; Seung, Opper & Sompolinsky, COLT 1992, "Query by committee"): members
 *   trained on bootstrap resamples of the labelled set (`bootstrap: true`); scored by vote entropy
 *   (Dagan & Engelson, ICML 1995), consensus entropy or mean KL to the consensus (McCallum & Nigam,
 *   ICML 1998, "Employing EM and Pool-Based Active Learning for Text Classification"). Here every
 *   member, none of them the task model, trains on its own resample.
 *
 * `ensemble-entropy` and `qbc-consensus-entropy` share a score (entropy of the mean) and differ in
 * the committee it is computed over; the bootstrap flag is part of the need, so the loop trains
 * them different members (and caches neither as the other's).
 */
import type { SampleStack } from './sample-scores.js';
import { selectTopK } from './select.js';
import { checkBatch, required, type Strategy } from './strategy.js';

export interface CommitteeOptions {
  readonly members: number;
  /** Members on bootstrap resamples of the labelled set (QBC with bagging) instead of all of it (ensembles, the task model as member 0). */
  readonly bootstrap: boolean;
}

export function committeeStrategy(name: string, score: (s: SampleStack) => Float32Array, options: CommitteeOptions): Strategy {
  return {
    name,
    needs: new Set(['committeeProbs']),
    needOptions: { committeeSize: options.members, committeeBootstrap: options.bootstrap },
    async select(ctx, batchSize, rng) {
      checkBatch(ctx, batchSize);
      const committee = required(ctx.committeeProbs, name, 'committeeProbs');
      const scores = score({ data: committee.data, samples: committee.members, numClasses: ctx.numClasses });
      return { indices: selectTopK(scores, batchSize, rng).map((p) => ctx.pool[p]) };
    },
  };
}
