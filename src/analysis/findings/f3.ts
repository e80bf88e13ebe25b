/** F3: AL can lose to random at low budgets (Mittal et al. 2019; Hacohen et al. 2022). */
import { budgetBlocks } from '../nested-budgets.js';
import { mean } from '../stats.js';
import { alStrategies, finish, minSeeds, notCovered } from './helpers.js';
import { decideFamily } from './procedure.js';
import type { Cell, FindingDefinition } from './types.js';

const statistic =
  'Per setting and AL strategy: mean accuracy difference to random over the low-budget checkpoints (after the initial set, up to one third of the labelled range), paired by seed. ' +
  'Budgets nested in a larger one are its first rounds, so each adds only the checkpoints it does not share; Holm over the distinct comparisons (claim: some loss).';

/** Low-budget checkpoints of a curve that ends at `budget`: after the initial set, up to a third of its range. */
function lowCheckpoints(labeled: readonly number[]): number[] {
  const first = labeled[0];
  const last = labeled[labeled.length - 1];
  const cut = first + (last - first) / 3;
  const out = labeled.filter((l, i) => i > 0 && l <= cut);
  if (!out.length && labeled.length > 1) out.push(labeled[1]);
  return out;
}

export const F3: FindingDefinition = {
  id: 'F3',
  title: 'AL can lose to random at low budgets',
  claim: 'At small labelled-set sizes, AL strategies can do worse than random sampling.',
  citation: 'Mittal et al. 2019; Hacohen et al. 2022 (ICML, Active learning on a budget)',
  estimand: 'mean accuracy of an AL strategy minus random over the low-budget checkpoints, per seed',
  direction: -1,
  minEffect: 0.01,
  presupposes: [],
  compute(input, def) {
    const items: { item: { setting: string; strategy: string; checkpoints: number[] }; values: number[] }[] = [];
    for (const block of budgetBlocks(input.settings)) {
      const runs = block.largest;
      const base0 = runs.byStrategy.get(input.baseline);
      if (!base0) continue;
      for (const s of alStrategies(runs, input.baseline)) {
        const seeds = [...runs.byStrategy.get(s)!.keys()].filter((x) => base0.has(x));
        if (!seeds.length) continue;
        const ref = base0.get(seeds[0])!;
        const taken = new Set<number>();
        for (const level of block.levels) {
          const own = ref.labeled.filter((l) => l <= level.budget);
          const checkpoints = lowCheckpoints(own).filter((l) => !taken.has(l));
          lowCheckpoints(own).forEach((l) => taken.add(l));
          if (!checkpoints.length) continue;
          const values = seeds
            .map((seed) => {
              const a = runs.byStrategy.get(s)!.get(seed)!;
              const b = base0.get(seed)!;
              return mean(checkpoints.map((l) => (a.accuracy[a.labeled.indexOf(l)] ?? NaN) - (b.accuracy[b.labeled.indexOf(l)] ?? NaN)));
            })
            .filter(Number.isFinite);
          if (values.length) items.push({ item: { setting: level.runs.label, strategy: s, checkpoints }, values });
        }
      }
    }
    if (!items.length) {
      return notCovered(def, statistic, input.settings.some((r) => r.byStrategy.has(input.baseline))
        ? 'no AL strategy ran next to random with more than one checkpoint'
        : `the run has no '${input.baseline}' baseline; add it to matrix.strategy`);
    }
    const { decision, members } = decideFamily(items, def);
    const rows: Cell[][] = members.map((m) => [
      m.item.setting, m.item.strategy, m.item.checkpoints.join(' '), m.estimate.n, m.estimate.mean,
      m.estimate.ci95?.[0] ?? null, m.estimate.ci95?.[1] ?? null, m.estimate.p, m.pHolm, m.verdict,
    ]);
    const seeds = Math.min(...items.map((c) => c.values.length), minSeeds(input.settings));
    return finish(def, statistic, decision, seeds, {
      columns: ['Setting', 'Strategy', 'Low-budget checkpoints', 'Seeds', 'Mean Δ accuracy', '95% CI low', '95% CI high', 'p (t)', 'p (Holm)', 'Outcome'],
      rows,
    }, items.length);
  },
};
