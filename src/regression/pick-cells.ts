/** Which recorded cells `albench verify` re-runs: named ones, a seeded sample, or all of them. */
import { createRng } from '../rng.js';
import type { CellResult } from '../store/schema.js';

export interface PickOptions {
  /** Cell ids (or unique prefixes) to re-run. */
  readonly cells?: readonly string[];
  /** Re-run this many completed cells, drawn with `seed`. */
  readonly sample?: number;
  readonly seed?: number;
}

/**
 * The results to re-run, in file order. Named cells may be failed ones (to check a failure
 * reproduces); a sample draws from completed cells only. Throws naming an id that matches no cell
 * or more than one.
 */
export function pickCells(results: readonly CellResult[], options: PickOptions): CellResult[] {
  if (options.cells && options.cells.length > 0) {
    return options.cells.map((id) => {
      const hits = results.filter((r) => r.cell.id === id || r.cell.id.startsWith(id));
      const exact = hits.find((r) => r.cell.id === id);
      if (exact) return exact;
      if (hits.length === 1) return hits[0];
      throw new Error(
        hits.length === 0
          ? `no cell ${JSON.stringify(id)} in these results; ids look like ${results.slice(0, 3).map((r) => r.cell.id).join(', ') || '(no results)'}`
          : `cell id prefix ${JSON.stringify(id)} matches ${hits.length} cells (${hits.map((r) => r.cell.id).join(', ')}); give more digits`,
      );
    });
  }
  const completed = results.filter((r) => r.status === 'completed');
  if (options.sample === undefined) return completed;
  if (!Number.isInteger(options.sample) || options.sample < 1) throw new RangeError(`--sample must be a positive integer, got ${options.sample}`);
  const order = createRng(`verify-sample/${options.seed ?? 0}`).permutation(completed.length);
  const chosen = new Set(Array.from(order.subarray(0, Math.min(options.sample, completed.length))));
  return completed.filter((_, i) => chosen.has(i));
}
