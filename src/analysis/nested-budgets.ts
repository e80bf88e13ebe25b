/**
 * Settings nested by budget are one block of data. Two settings that differ only in the budget
 * run the same loop until the smaller budget is reached (src/runner/budget-prefix.ts): the
 * smaller one's curve is the first rounds of the larger one's, whether it was cut from it
 * (`derivedFrom`) or ran on its own (then bit for bit the same, which `albench verify` checks).
 * Counting both as evidence counts the shared prefix twice.
 */
import { canonicalJson } from './curves.js';
import type { SettingRuns } from './seed-curves.js';

/** One block: the settings of one configuration at every budget, ascending; `largest` holds all their data. */
export interface BudgetBlock {
  readonly largest: SettingRuns;
  /** Ascending budgets; each level's curve is a prefix of `largest`'s. */
  readonly levels: readonly { readonly budget: number; readonly runs: SettingRuns }[];
}

function prefixKey(runs: SettingRuns): string {
  const { budget: _budget, ...rest } = runs.setting;
  return canonicalJson(rest);
}

/** Full batches only: otherwise the smaller budget's last batch is smaller and the curves part. */
function nestsIn(small: SettingRuns, large: SettingRuns): boolean {
  const s = small.setting;
  return s.budget < large.setting.budget && (s.budget - s.initialSize) % s.batchSize === 0;
}

/**
 * Settings grouped into blocks: a setting joins the block of the largest budget of its
 * configuration when it nests in it, else it is a block of its own. Order follows `settings`.
 */
export function budgetBlocks(settings: readonly SettingRuns[]): BudgetBlock[] {
  const largest = new Map<string, SettingRuns>();
  for (const runs of settings) {
    const key = prefixKey(runs);
    const current = largest.get(key);
    if (!current || runs.setting.budget > current.setting.budget) largest.set(key, runs);
  }
  const blocks = new Map<SettingRuns, { budget: number; runs: SettingRuns }[]>();
  const order: SettingRuns[] = [];
  for (const runs of settings) {
    const big = largest.get(prefixKey(runs))!;
    const owner = runs === big || nestsIn(runs, big) ? big : runs;
    if (!blocks.has(owner)) {
      blocks.set(owner, []);
      order.push(owner);
    }
    blocks.get(owner)!.push({ budget: runs.setting.budget, runs });
  }
  return order.map((owner) => ({ largest: owner, levels: blocks.get(owner)!.sort((a, b) => a.budget - b.budget) }));
}

/** One setting per block (the largest budget): the independent data of a run. */
export function independentSettings(settings: readonly SettingRuns[]): SettingRuns[] {
  return budgetBlocks(settings).map((b) => b.largest);
}
