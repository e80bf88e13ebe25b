/** F4: strategy rankings are unstable across AL batch sizes (Munjal et al. 2022; contested by Beck et al. 2021). */
import { rankingAcrossAxis } from './rank-levels.js';
import type { FindingDefinition } from './types.js';

export const F4: FindingDefinition = {
  id: 'F4',
  title: 'Strategy rankings are unstable across AL batch sizes',
  claim: 'Changing the AL batch size reorders strategies.',
  citation: 'Munjal et al. 2022 (CVPR, Towards robust and reproducible AL)',
  counterView: 'Beck et al. 2021 (Effective evaluation of deep AL) found that the AL batch size matters little.',
  estimand: 'AUBC difference of two strategies at one batch size minus at another, per seed (strategy × batch-size interaction)',
  direction: 0,
  minEffect: 0.01,
  presupposes: [],
  compute: (input, def) =>
    rankingAcrossAxis(
      def,
      'Per pair of strategies and pair of batch sizes: the AUBC difference of the pair at each level (paired by seed) and its change between levels (the interaction); a reversal needs both differences Holm-significant and ≥ the smallest effect.',
      input, 'batchSize', 'the AL batch size', 'add e.g. `batchSize: [10, 50]` to the matrix',
    ),
};
