/**
 * `--shard i/n`: a deterministic partition of a study's cells into n parts, computed by every shard
 * from the spec alone, so shards on different nodes need no coordination. Cells are dealt
 * longest-first to the least-loaded shard (LPT; Graham 1969, "Bounds on multiprocessing timing
 * anomalies"), by training cost with ties broken by cell id: a study whose budgets differ 3× would
 * otherwise leave one shard running long after the others. Claim files make overlap harmless anyway.
 */
import type { ResolvedCell } from '../spec/types.js';
import { cellCost } from './cost.js';

/** Shard `index` (0-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `i/n` with 0 ≤ i < n; throws naming the value and what is allowed. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`--shard must look like i/n (e.g. 0/4), got ${JSON.stringify(text)}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new Error(`--shard ${text}: n must be ≥ 1`);
  if (index >= count) throw new Error(`--shard ${text}: i must be between 0 and ${count - 1} (shards are numbered from 0)`);
  return { index, count };
}

/** Assigns every cell to one shard; the same cells give the same assignment on every machine. */
export function assignShards(cells: readonly ResolvedCell[], count: number): Map<string, number> {
  const order = [...cells].sort((a, b) => cellCost(b) - cellCost(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const assignment = new Map<string, number>();
  for (const cell of order) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s] < load[best]) best = s;
    load[best] += cellCost(cell);
    assignment.set(cell.id, best);
  }
  return assignment;
}

/** The cells of one shard, in study order. */
export function cellsOfShard(cells: readonly ResolvedCell[], shard: Shard): ResolvedCell[] {
  const assignment = assignShards(cells, shard.count);
  return cells.filter((cell) => assignment.get(cell.id) === shard.index);
}
