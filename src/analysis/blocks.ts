/**
 * Independent settings: the units a rank test or a penalty matrix may count as separate blocks.
 *
 * Two settings that differ only in their budget run the same loop until the smaller budget is
 * reached (runner/budget-prefix.ts): the smaller one's curve is the first rounds of the larger
 * one's, whether it was cut from it (`derivedFrom` in its results) or re-run to the same bits.
 * Counting both as blocks counts the shared rounds twice (pseudo-replication, Hurlbert 1984): in
 * parting-with-illusions it turned 5 seed-level blocks into 40 and made 22 of 28 pairs
 * "significant". So such settings form one group, represented by its largest budget, which holds
 * every round the others have.
 */
import { canonicalJson } from './curves.js';
import type { SettingRuns } from './seed-curves.js';

/** Settings that share their rounds, largest budget first (ties by key). */
export interface SettingGroup {
  readonly settings: readonly SettingRuns[];
}

function withoutBudget(runs: SettingRuns): string {
  return canonicalJson({ ...runs.setting, budget: undefined });
}

/**
 * Groups of nested settings (one per independent setting), in the order of their first member in
 * `settings`. Settings are joined when they differ only in the budget, or when a cell of one was
 * derived (`derivedFrom`) from a cell of the other.
 */
export function independentGroups(settings: readonly SettingRuns[]): SettingGroup[] {
  const parent = settings.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const byKey = new Map<string, number>();
  const byCell = new Map<string, number>();
  settings.forEach((runs, i) => {
    const key = withoutBudget(runs);
    const first = byKey.get(key);
    if (first === undefined) byKey.set(key, i);
    else union(first, i);
    for (const seeds of runs.byStrategy.values()) for (const c of seeds.values()) byCell.set(c.cellId, i);
  });
  settings.forEach((runs, i) => {
    for (const seeds of runs.byStrategy.values()) {
      for (const c of seeds.values()) {
        const source = c.derivedFrom === undefined ? undefined : byCell.get(c.derivedFrom);
        if (source !== undefined) union(source, i);
      }
    }
  });
  const groups = new Map<number, SettingRuns[]>();
  settings.forEach((runs, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), runs]);
  });
  return [...groups.values()].map((members) => ({
    settings: [...members].sort((a, b) => b.setting.budget - a.setting.budget || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  }));
}
