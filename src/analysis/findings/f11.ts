/** F11: self-supervised features eat the gain of AL over random (Bengar et al. 2021; Chan et al. 2021). */
import { alGain, finish, lacks, metricA, minSeeds, notCovered, perSeed, undecided, valuesOf, workingPairs } from './helpers.js';
import { decide } from './procedure.js';
import type { FindingDefinition } from './types.js';

const statistic =
  'Per seed: (mean AUBC gain of AL strategies over random) on self-supervised features minus on raw inputs, in settings that differ only in the representation and where the features improved random; mean over seeds (claim: < 0).';

export const F11: FindingDefinition = {
  id: 'F11',
  title: 'Self-supervised features eat the gain of AL over random',
  claim: 'On frozen self-supervised features, AL strategies gain less over random sampling than on raw inputs.',
  citation: 'Bengar et al. 2021 (ICCV, Reducing label effort: self-supervised meets active learning); Chan et al. 2021 (ICASSP, Does self-supervision eat its cake?)',
  estimand: 'mean AUBC gain of AL over random, on self-supervised features minus on raw inputs, per seed',
  direction: -1,
  minEffect: 0.01,
  presupposes: ['representation'],
  compute(input, def) {
    const w = workingPairs(input, def.presupposes);
    if (!w.all) {
      return notCovered(def, statistic, lacks('the representation', valuesOf(input, 'representation'), 'add `representation: [raw, selfsup]` to the matrix (with model linear or mlp)'));
    }
    if (w.failedReason) return undecided(def, statistic, w.failedReason, minSeeds(input.settings));
    const r = perSeed(w.kept, (ref, treat, seed) => {
      const a = alGain(treat, seed, input.baseline, metricA);
      const b = alGain(ref, seed, input.baseline, metricA);
      return a === null || b === null ? null : a - b;
    });
    const seeds = Math.min(r.seeds.length, minSeeds(w.kept.flatMap((p) => [p[0].runs, p[1].runs])));
    const d = decide(r.values, def);
    return finish(def, statistic, { ...d, reason: d.reason + w.note }, seeds, { columns: ['Setting', 'Raw', 'Self-supervised', 'Seed', 'Δ AL gain (AUBC)'], rows: r.rows });
  },
};
