/** F12: the size of the seed set reorders strategies (Beck et al. 2021; Hacohen et al. 2022). */
import { rankingAcrossAxis } from './rank-levels.js';
import type { FindingDefinition } from './types.js';

export const F12: FindingDefinition = {
  id: 'F12',
  title: 'The size of the seed set reorders strategies',
  claim: 'Starting AL from a smaller or a larger random initial labelled set (the seed set) changes which strategies come out ahead.',
  citation: 'Beck et al. 2021 (the effect of the seed set); Hacohen et al. 2022 (ICML: how many labels a learner starts from sets its budget regime)',
  estimand: 'AUBC difference of two strategies at one seed-set size minus at another, per seed (strategy × seed-set interaction)',
  direction: 0,
  minEffect: 0.01,
  presupposes: [],
  compute: (input, def) =>
    rankingAcrossAxis(
      def,
      'Per pair of strategies and pair of seed-set sizes: the AUBC difference of the pair at each size (each over its own labelled range, paired by seed) and its change between sizes; a reversal needs both differences Holm-significant and ≥ the smallest effect.',
      input, 'initialSize', 'the seed-set size', 'add e.g. `initialSize: [20, 100]` to the matrix',
    ),
};
