/**
 * Shared work across budgets. Two cells that differ only in their budget run the same loop until
 * the smaller budget is reached: same initial set, same weights, same data order, same choices —
 * nothing in a round depends on the budget except the size of the last batch. So when the smaller
 * budget is reached on a full batch, its result is the first rounds of the larger cell's result,
 * and albench runs only the larger cell. The derived result records where it came from
 * (`derivedFrom`), and `albench verify` can re-run it on its own to check the claim bit for bit.
 */
import { canonicalJson } from '../spec/canonical.js';
import type { ResolvedCell } from '../spec/types.js';
import type { CompletedResult } from '../store/schema.js';
import { roundSizes } from './cost.js';

/** Everything but the id and the budget: cells with equal keys share their first rounds. */
export function budgetPrefixKey(cell: ResolvedCell): string {
  const { id: _id, budget: _budget, ...rest } = cell;
  return canonicalJson(rest);
}

/** True when `small`'s rounds are exactly the first rounds of `large`'s (so `small` can be derived). */
export function isBudgetPrefix(small: ResolvedCell, large: ResolvedCell): boolean {
  return (
    small.budget < large.budget &&
    // Every batch of the smaller cell is a full batch, so its label counts are a prefix of the larger's.
    (small.budget - small.initialSize) % small.batchSize === 0 &&
    budgetPrefixKey(small) === budgetPrefixKey(large)
  );
}

/**
 * For each cell that can be derived, the cell to derive it from: the largest-budget cell of the
 * list whose rounds contain it. Cells absent from the map must run themselves.
 */
export function planDerivations(cells: readonly ResolvedCell[]): Map<string, ResolvedCell> {
  const largest = new Map<string, ResolvedCell>();
  for (const cell of cells) {
    const key = budgetPrefixKey(cell);
    const current = largest.get(key);
    if (!current || cell.budget > current.budget) largest.set(key, cell);
  }
  const plan = new Map<string, ResolvedCell>();
  for (const cell of cells) {
    const source = largest.get(budgetPrefixKey(cell))!;
    if (isBudgetPrefix(cell, source)) plan.set(cell.id, source);
  }
  return plan;
}

/**
 * The result `target` would have produced, cut from its source's completed result. The last kept
 * round makes no selection, exactly as the loop's final round does.
 */
export function deriveResult(source: CompletedResult, target: ResolvedCell): CompletedResult {
  if (!isBudgetPrefix(target, source.cell)) {
    throw new Error(`cell ${target.id} (budget ${target.budget}) is not a budget prefix of cell ${source.cell.id} (budget ${source.cell.budget})`);
  }
  const n = roundSizes(target).length;
  if (source.rounds.length < n) {
    throw new Error(`cell ${source.cell.id} has ${source.rounds.length} rounds; deriving cell ${target.id} needs ${n}`);
  }
  const rounds = source.rounds.slice(0, n).map((round, i) => {
    if (i < n - 1) return round;
    const { pseudoLabels: _pseudo, ...rest } = round;
    return { ...rest, queryMs: 0, selected: [], selectedClassCounts: round.selectedClassCounts.map(() => 0) };
  });
  return { ...source, cell: target, rounds, derivedFrom: { cellId: source.cell.id, rounds: n } };
}
