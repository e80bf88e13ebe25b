/** F5: rankings change across datasets (Mittal et al. 2019). */
import { canonicalJson } from '../curves.js';
import { factorValues, findAxis, matchedGroups, type FactorLevel } from '../factors.js';
import { axisValue } from '../seed-curves.js';
import { blocks, lacks, notCovered } from './helpers.js';
import { levelsOf, rankingFinding } from './rank-levels.js';
import type { FindingDefinition } from './types.js';

const statistic =
  'Per pair of strategies and pair of datasets (same class imbalance, everything else equal): the AUBC difference of the pair on each dataset (paired by seed) and its change between datasets; a reversal needs both differences Holm-significant and ≥ the smallest effect.';

export const F5: FindingDefinition = {
  id: 'F5',
  title: 'Rankings change across datasets',
  claim: 'The order of strategies on one dataset does not carry over to another.',
  citation: 'Mittal et al. 2019',
  estimand: 'AUBC difference of two strategies on one dataset minus on another, per seed (strategy × dataset interaction)',
  direction: 0,
  minEffect: 0.01,
  presupposes: [],
  compute(input, def) {
    // The dataset's name must vary: a run that varies only its imbalance is F10's, not "another dataset".
    if (!findAxis(input.axes, 'dataset.name')) {
      return notCovered(def, statistic, lacks('the dataset', factorValues(input.settings, 'dataset.name'), 'add a second dataset, e.g. `dataset: [digits, fashion-mnist]`'));
    }
    const groups: FactorLevel[][] = [];
    for (const group of matchedGroups(blocks(input), 'dataset')) {
      const byImbalance = new Map<string, FactorLevel[]>();
      for (const l of group) {
        const key = canonicalJson(axisValue(l.runs.setting, 'dataset.imbalance') ?? 1);
        byImbalance.set(key, [...(byImbalance.get(key) ?? []), l]);
      }
      for (const g of byImbalance.values()) {
        const names = new Set(g.map((l) => canonicalJson(axisValue(l.runs.setting, 'dataset.name'))));
        if (names.size >= 2) groups.push(g);
      }
    }
    if (!groups.length) return notCovered(def, statistic, 'no settings differ only in the dataset');
    return rankingFinding(def, statistic, levelsOf(groups, 'dataset'));
  },
};
