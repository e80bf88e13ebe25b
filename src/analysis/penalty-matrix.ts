/**
 * Pairwise penalty matrix (Ash et al. 2020, BADGE, §6; used by Lüth et al. 2023): for every
 * setting, pair of strategies (i, j) and checkpoint (labelled count) both reached on every
 * common seed, a two-sided paired t-test over seeds at α = 0.05. When i is significantly better,
 * P[i][j] += 1 / L, with L the setting's number of checkpoints. Each setting thus contributes
 * at most 1 to an entry, and the largest possible entry is the number of settings.
 *
 * The initial checkpoint is left out: before the first query every strategy has the same
 * labels and weights (the paired design), so it can only dilute the matrix.
 *
 * A "setting" here is an independent one (nested-budgets.ts): settings nested by budget are one, tested
 * on its largest budget where the pair has ≥ 2 common seeds, because a smaller budget's
 * checkpoints are the larger one's first checkpoints and would be counted twice.
 */
import { budgetBlocks } from './nested-budgets.js';
import { pairedTTest } from './paired-t.js';
import { commonSeeds, type CurveMetricName, type SettingRuns } from './seed-curves.js';

export interface PenaltyMatrix {
  readonly strategies: readonly string[];
  /** matrix[i][j]: how often strategy i significantly beat strategy j (in settings' worth). */
  readonly matrix: readonly (readonly number[])[];
  /** Independent settings that contributed (had ≥ 2 common seeds for some pair): the largest possible entry. */
  readonly settings: number;
  /** Nested settings (smaller budgets of a contributing one) folded into those, not counted again. */
  readonly nestedSettings: number;
  readonly alpha: number;
}

export function penaltyMatrix(
  settings: readonly SettingRuns[],
  metric: CurveMetricName = 'accuracy',
  alpha = 0.05,
): PenaltyMatrix {
  const strategies = [...new Set(settings.flatMap((s) => [...s.byStrategy.keys()]))].sort();
  const k = strategies.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let contributing = 0;
  let nested = 0;
  for (const block of budgetBlocks(settings)) {
    // Largest budget first: it holds every round the smaller ones have.
    const members = block.levels.map((l) => l.runs).reverse();
    let contributed = false;
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        const [a, b] = [strategies[i], strategies[j]];
        // Largest budget first: the first member where the pair has ≥ 2 common seeds.
        const runs = members.find((r) => commonSeeds(r, a, b).length >= 2);
        if (!runs) continue;
        const seeds = commonSeeds(runs, a, b);
        const ca = seeds.map((s) => runs.byStrategy.get(a)!.get(s)!);
        const cb = seeds.map((s) => runs.byStrategy.get(b)!.get(s)!);
        // Checkpoints every curve of both arms reached, past the shared initial one.
        const all = [...ca, ...cb];
        const checkpoints = ca[0].labeled.slice(1).filter((l) => all.every((c) => c.labeled.includes(l)));
        if (checkpoints.length === 0) continue;
        contributed = true;
        for (const l of checkpoints) {
          const d = seeds.map((_, n) => ca[n][metric][ca[n].labeled.indexOf(l)] - cb[n][metric][cb[n].labeled.indexOf(l)]);
          const t = pairedTTest(d);
          if (t.p === null || t.p >= alpha) continue;
          if (t.meanDiff > 0) matrix[i][j] += 1 / checkpoints.length;
          else if (t.meanDiff < 0) matrix[j][i] += 1 / checkpoints.length;
        }
      }
    }
    if (contributed) {
      contributing++;
      nested += members.length - 1;
    }
  }
  return { strategies, matrix, settings: contributing, nestedSettings: nested, alpha };
}

/** Column sums: how often each strategy was beaten (lower is better, as in Ash et al.). */
export function penaltyLosses(p: PenaltyMatrix): number[] {
  return p.strategies.map((_, j) => p.matrix.reduce((acc, row) => acc + row[j], 0));
}
