/**
 * What each strategy cost in compute, from the per-round times the loop records. Query time is
 * the strategy's own cost; training time depends on the labelled-set size, so it differs between
 * strategies only through the budget they were run to.
 */
import type { CellResult } from '../store/schema.js';

export interface CostRow {
  readonly strategy: string;
  /** Completed cells of this strategy. */
  readonly cells: number;
  readonly rounds: number;
  readonly trainSeconds: number;
  readonly querySeconds: number;
  /** Mean query seconds per round that queried (the last round of a cell selects nothing). */
  readonly queryPerRoundSeconds: number | null;
  readonly trainPerCellSeconds: number;
}

export function costPerStrategy(results: readonly CellResult[]): CostRow[] {
  const acc = new Map<string, { cells: number; rounds: number; queried: number; train: number; query: number }>();
  for (const r of results) {
    if (r.status !== 'completed') continue;
    const a = acc.get(r.cell.strategy) ?? { cells: 0, rounds: 0, queried: 0, train: 0, query: 0 };
    a.cells++;
    for (const round of r.rounds) {
      a.rounds++;
      a.train += round.trainMs;
      a.query += round.queryMs;
      if (round.selected.length > 0) a.queried++;
    }
    acc.set(r.cell.strategy, a);
  }
  return [...acc.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([strategy, a]) => ({
      strategy,
      cells: a.cells,
      rounds: a.rounds,
      trainSeconds: a.train / 1000,
      querySeconds: a.query / 1000,
      queryPerRoundSeconds: a.queried ? a.query / 1000 / a.queried : null,
      trainPerCellSeconds: a.train / 1000 / a.cells,
    }));
}
