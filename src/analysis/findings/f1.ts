/** F1: augmentation narrows the differences between strategies (Mittal et al. 2019). */
import { perSeed, strategySpread, metricA, minSeeds, notCovered, finish, lacks, valuesOf, workingPairs, undecided } from './helpers.js';
import { decide } from './procedure.js';
import type { FindingDefinition } from './types.js';

const statistic =
  'Per seed: std of AUBC across strategies with augmentation minus without, in settings that differ only in augmentation and where augmentation improved random; mean over seeds (claim: < 0).';

export const F1: FindingDefinition = {
  id: 'F1',
  title: 'Augmentation narrows the differences between strategies',
  claim: 'With data augmentation, query strategies differ less from each other (and from random) than without.',
  citation: 'Mittal et al. 2019, Parting with Illusions about Deep Active Learning',
  estimand: 'std across strategies of AUBC, with minus without augmentation, per seed',
  direction: -1,
  minEffect: 0.005,
  presupposes: ['augmentation'],
  compute(input, def) {
    const w = workingPairs(input, def.presupposes);
    if (!w.all) return notCovered(def, statistic, lacks('augmentation', valuesOf(input, 'augmentation'), 'add e.g. `augmentation: [none, <policy>]` to the matrix'));
    if (w.failedReason) return undecided(def, statistic, w.failedReason, minSeeds(input.settings));
    const r = perSeed(w.kept, (ref, treat, seed) => {
      const a = strategySpread(treat, seed, metricA);
      const b = strategySpread(ref, seed, metricA);
      return a === null || b === null ? null : a - b;
    });
    const seeds = Math.min(r.seeds.length, minSeeds(w.kept.flatMap((p) => [p[0].runs, p[1].runs])));
    const d = decide(r.values, def);
    return finish(def, statistic, { ...d, reason: d.reason + w.note }, seeds, { columns: ['Setting', 'Without', 'With', 'Seed', 'Δ spread (std of AUBC)'], rows: r.rows });
  },
};
