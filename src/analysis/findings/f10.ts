/** F10: class imbalance changes the gain of AL over random, in macro-F1 (Munjal et al. 2022). */
import { matchedGroups, type FactorLevel } from '../factors.js';
import { alGain, blocks, finish, minSeeds, notCovered, perSeed } from './helpers.js';
import { decide } from './procedure.js';
import type { FindingDefinition } from './types.js';

const statistic =
  'Per seed: (mean macro-F1 AUBC gain of AL strategies over random) on imbalanced data minus on balanced data, in settings that differ only in imbalance (claim: ≠ 0).';

export const F10: FindingDefinition = {
  id: 'F10',
  title: 'AL under class imbalance',
  claim: 'Class imbalance changes how much AL gains over random, measured in macro-F1 so rare classes count.',
  citation: 'Munjal et al. 2022',
  estimand: 'mean macro-F1 AUBC gain of AL over random, imbalanced minus balanced, per seed',
  direction: 0,
  minEffect: 0.01,
  presupposes: [],
  compute(input, def) {
    const path = input.axes.find((a) => /imbalance/i.test(a));
    if (!path) {
      const anyImbalanced = input.settings.some((s) => JSON.stringify(s.setting).match(/"imbalance":(?!1[,}])/));
      return notCovered(def, statistic, anyImbalanced
        ? 'every setting has the same class imbalance, so there is no balanced counterpart to compare with'
        : 'the run has no class-imbalance axis; add a dataset such as `{ name: synthetic, imbalance: [1, 10] }`');
    }
    const pairs: [FactorLevel, FactorLevel][] = [];
    for (const group of matchedGroups(blocks(input), path)) {
      const balanced = group.find((l) => l.value === 'null' || l.value === '1');
      if (!balanced) continue;
      for (const l of group) if (l !== balanced) pairs.push([balanced, l]);
    }
    if (!pairs.length) return notCovered(def, statistic, `the axis ${path} varies, but no balanced level (imbalance 1 or unset) to compare against`);
    const r = perSeed(pairs, (ref, treat, seed) => {
      const a = alGain(treat, seed, input.baseline, 'macroF1');
      const b = alGain(ref, seed, input.baseline, 'macroF1');
      return a === null || b === null ? null : a - b;
    });
    const seeds = Math.min(r.seeds.length, minSeeds(pairs.flatMap((p) => [p[0].runs, p[1].runs])));
    return finish(def, statistic, decide(r.values, def), seeds, { columns: ['Setting', 'Balanced', 'Imbalanced', 'Seed', 'Δ AL gain (macro-F1 AUBC)'], rows: r.rows });
  },
};
