/**
 * F7: opposite strategies suit low and high budgets (Hacohen et al. 2022), as a strategy × budget
 * interaction paired by seed. Budgets nested in a larger one are its first rounds, so each budget
 * is scored at its own end point (accuracy once its labels are spent, as Hacohen et al. compare
 * budgets); comparing whole-curve AUBCs would make the larger budget's contain the smaller one's.
 */
import { findAxis, matchedGroups } from '../factors.js';
import { budgetBlocks } from '../nested-budgets.js';
import { metricA, notCovered } from './helpers.js';
import { aubcScores, levelsOf, rankingFinding } from './rank-levels.js';
import type { SettingRuns } from '../seed-curves.js';
import type { RankLevel } from './ranking.js';

/** Per strategy and seed, the accuracy at exactly `labeled` labels (seeds without that checkpoint are left out). */
function accuracyAt(runs: SettingRuns, labeled: number): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const [strategy, bySeed] of runs.byStrategy) {
    const m = new Map<number, number>();
    for (const [seed, c] of bySeed) {
      const i = c.labeled.indexOf(labeled);
      if (i >= 0) m.set(seed, c.accuracy[i]);
    }
    out.set(strategy, m);
  }
  return out;
}
import type { FindingDefinition } from './types.js';

export const F7: FindingDefinition = {
  id: 'F7',
  title: 'Opposite strategies suit low and high budgets',
  claim: 'The strategy that is best at a low budget is not the best at a high budget; the order can invert.',
  citation: 'Hacohen et al. 2022 (ICML, Active learning on a budget)',
  estimand: 'accuracy difference of two strategies at a low budget minus at a high budget, per seed (strategy × budget interaction)',
  direction: 0,
  minEffect: 0.01,
  presupposes: [],
  compute(input, def) {
    const budgetAxis = !!findAxis(input.axes, 'budget');
    const statistic = budgetAxis
      ? 'Per pair of strategies and pair of budgets: the accuracy difference of the pair at each budget’s own end point (nested budgets share their first rounds, so whole-curve AUBCs would overlap), paired by seed, and its change between budgets; a reversal needs both differences Holm-significant and ≥ the smallest effect.'
      : 'Per pair of strategies: the AUBC difference over the first and over the second half of each curve (paired by seed) and its change between halves; a reversal needs both differences Holm-significant and ≥ the smallest effect.';
    const groups: RankLevel[][] = [];
    const split = budgetBlocks(input.settings);
    if (budgetAxis) {
      for (const block of split.filter((b) => b.levels.length >= 2)) {
        const any = [...block.largest.byStrategy.values()][0]?.values().next().value;
        if (!any) continue;
        groups.push(block.levels.map((l) => ({ group: `${block.largest.label} (nested budgets)`, label: `${l.budget} labels`, scores: accuracyAt(block.largest, l.budget) })));
      }
      // Budgets that do not nest (partial last batches) are separate runs: whole-curve AUBC each.
      const single = split.filter((b) => b.levels.length === 1).map((b) => b.largest);
      groups.push(...levelsOf(matchedGroups(single, 'budget'), 'budget'));
    } else {
      for (const runs of split.map((b) => b.largest)) {
        const any = [...runs.byStrategy.values()][0]?.values().next().value;
        if (!any || any.labeled.length < 4) continue;
        const mid = any.labeled[Math.floor(any.labeled.length / 2)];
        groups.push([
          { group: runs.label, label: `≤ ${mid} labels`, scores: aubcScores(runs, metricA, [any.labeled[0], mid]) },
          { group: runs.label, label: `≥ ${mid} labels`, scores: aubcScores(runs, metricA, [mid, any.labeled[any.labeled.length - 1]]) },
        ]);
      }
    }
    if (!groups.length) return notCovered(def, statistic, 'neither a budget axis nor curves with ≥ 4 checkpoints to split into low and high budget');
    const halves = 'AUBC difference of two strategies over the first half of each curve minus over the second half, per seed (strategy × budget-range interaction)';
    return rankingFinding(budgetAxis ? def : { ...def, estimand: halves }, statistic, groups);
  },
};
