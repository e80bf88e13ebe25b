/** F2: with SSL the gain of AL over random shrinks (Mittal et al. 2019; Lüth et al. 2023; Chan et al. 2021). */
import { alGain, finish, lacks, metricA, minSeeds, notCovered, perSeed, undecided, valuesOf, workingPairs } from './helpers.js';
import { decide } from './procedure.js';
import type { FindingDefinition } from './types.js';

const statistic =
  'Per seed: (mean AUBC gain of AL strategies over random) with SSL minus without, in settings that differ only in SSL and where SSL improved random; mean over seeds (claim: < 0).';

export const F2: FindingDefinition = {
  id: 'F2',
  title: 'With SSL, the gain of AL over random shrinks or vanishes',
  claim: 'Semi-supervised training shrinks or removes the advantage of AL strategies over random sampling.',
  citation: 'Mittal et al. 2019; Lüth et al. 2023 (NeurIPS, Navigating the pitfalls of AL evaluation); Chan et al. 2021',
  estimand: 'mean AUBC gain of AL over random, with minus without SSL, per seed',
  direction: -1,
  minEffect: 0.01,
  presupposes: ['ssl'],
  compute(input, def) {
    const w = workingPairs(input, def.presupposes);
    if (!w.all) return notCovered(def, statistic, lacks('ssl', valuesOf(input, 'ssl'), 'add e.g. `ssl: [none, <method>]` to the matrix'));
    if (w.failedReason) return undecided(def, statistic, w.failedReason, minSeeds(input.settings));
    const r = perSeed(w.kept, (ref, treat, seed) => {
      const a = alGain(treat, seed, input.baseline, metricA);
      const b = alGain(ref, seed, input.baseline, metricA);
      return a === null || b === null ? null : a - b;
    });
    const seeds = Math.min(r.seeds.length, minSeeds(w.kept.flatMap((p) => [p[0].runs, p[1].runs])));
    const d = decide(r.values, def);
    return finish(def, statistic, { ...d, reason: d.reason + w.note }, seeds, { columns: ['Setting', 'Without', 'With', 'Seed', 'Δ AL gain (AUBC)'], rows: r.rows });
  },
};
