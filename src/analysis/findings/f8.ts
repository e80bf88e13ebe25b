/** F8: gains from augmentation or SSL dwarf gains from AL (Bengar et al. 2021; Lüth et al. 2023). */
import { mean } from '../stats.js';
import { alStrategies, cellAubc, finish, lacks, metricA, minSeeds, notCovered, perSeed, undecided, valuesOf, workingPairs } from './helpers.js';
import { decide } from './procedure.js';
import type { FindingDefinition } from './types.js';

const statistic =
  'Per seed: (random’s AUBC with the treatment − without) − (best AL strategy’s AUBC gain over random without the treatment); the best AL strategy is picked by mean, which favours AL; mean over seeds (claim: > 0).';

export const F8: FindingDefinition = {
  id: 'F8',
  title: 'Gains from augmentation or SSL dwarf gains from AL',
  claim: 'Turning on augmentation or semi-supervised training improves accuracy far more than choosing an AL strategy over random.',
  citation: 'Bengar et al. 2021 (Reducing label effort: self-supervised meets active learning); Werner et al. 2024 (CDALBench, A cross-domain benchmark for active learning)',
  estimand: 'training gain of random minus the best AL strategy’s gain over random, in AUBC, per seed',
  direction: 1,
  minEffect: 0.01,
  presupposes: ['augmentation', 'ssl'],
  compute(input, def) {
    const w = workingPairs(input, def.presupposes);
    if (!w.all) {
      return notCovered(def, statistic, lacks('augmentation or ssl', [...valuesOf(input, 'augmentation'), ...valuesOf(input, 'ssl')], 'add `augmentation: [none, …]` or `ssl: [none, …]` to the matrix'));
    }
    if (w.failedReason) return undecided(def, statistic, w.failedReason, minSeeds(input.settings));
    const r = perSeed(w.kept, (ref, treat, seed) => {
      const rRef = ref.byStrategy.get(input.baseline)?.get(seed);
      const rTreat = treat.byStrategy.get(input.baseline)?.get(seed);
      if (!rRef || !rTreat) return null;
      const als = alStrategies(ref, input.baseline);
      if (!als.length) return null;
      const best = als.map((s) => ({ s, m: mean([...ref.byStrategy.get(s)!.values()].map((c) => cellAubc(c, metricA))) })).sort((a, b) => b.m - a.m)[0].s;
      const bestCurve = ref.byStrategy.get(best)!.get(seed);
      if (!bestCurve) return null;
      return cellAubc(rTreat) - cellAubc(rRef) - (cellAubc(bestCurve) - cellAubc(rRef));
    });
    const seeds = Math.min(r.seeds.length, minSeeds(w.kept.flatMap((p) => [p[0].runs, p[1].runs])));
    const d = decide(r.values, def);
    return finish(def, statistic, { ...d, reason: d.reason + w.note }, seeds, { columns: ['Setting', 'Without', 'With', 'Seed', 'Training gain − AL gain (AUBC)'], rows: r.rows });
  },
};
