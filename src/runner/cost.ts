import { roundExamplePasses } from '../models/recipe.js';
import type { ResolvedCell } from '../spec/types.js';

/** Labelled-set sizes at which the loop trains: initialSize, +batchSize, … up to the budget. */
export function roundSizes(cell: Pick<ResolvedCell, 'initialSize' | 'batchSize' | 'budget'>): number[] {
  const sizes = [cell.initialSize];
  while (sizes[sizes.length - 1] < cell.budget) sizes.push(Math.min(sizes[sizes.length - 1] + cell.batchSize, cell.budget));
  return sizes;
}

/**
 * Relative cost of a cell in training example-passes (Σ over rounds of labelled × epochs). Training
 * dominates a round, so this orders cells and drives the ETA; `albench plan` converts it to seconds
 * with a measured throughput.
 */
export function cellCost(cell: ResolvedCell): number {
  return roundSizes(cell).reduce((sum, n) => sum + roundExamplePasses(cell.training, n), 0) + tuneCost(cell);
}

/**
 * `training.tune`: every candidate trains on (k − 1)/k of the initial set once per fold. Counted
 * in every cell, though the strategies of a seed share one tuning: an upper bound.
 */
function tuneCost(cell: ResolvedCell): number {
  const tune = cell.training.tune;
  if (!tune) return 0;
  const rows = Math.max(1, Math.floor((cell.initialSize * (tune.folds - 1)) / tune.folds));
  return tune.learningRate.length * tune.weightDecay.length * tune.folds * roundExamplePasses(cell.training, rows);
}
