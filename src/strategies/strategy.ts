import type { Rng } from '../rng.js';

/** What a strategy asks the loop to compute for the current pool, once per round. */
export type Need = 'probs';

/**
 * Everything a strategy may look at when it selects. Arrays are indexed by pool position:
 * `pool[i]` is the training-set index of the i-th unlabelled example.
 */
export interface SelectionContext {
  readonly round: number;
  readonly numClasses: number;
  /** Training-set indices of the unlabelled pool, ascending. */
  readonly pool: Int32Array;
  /** Training-set indices labelled so far. */
  readonly labeled: Int32Array;
  /** Softmax outputs of the current model on the pool, row-major `[pool.length, numClasses]`. */
  readonly probs?: Float32Array;
}

/** The batch a strategy chose, as training-set indices, in the order chosen. */
export interface Selection {
  readonly indices: readonly number[];
}

/** A query strategy: a thin object over a pure scoring function. */
export interface Strategy {
  readonly name: string;
  readonly needs: ReadonlySet<Need>;
  select(ctx: SelectionContext, batchSize: number, rng: Rng): Promise<Selection>;
}

/** Thrown when a strategy is asked for more examples than the unlabelled pool holds. */
export class PoolExhaustedError extends Error {
  constructor(
    readonly requested: number,
    readonly available: number,
  ) {
    super(`Pool exhausted: asked for ${requested} examples but only ${available} remain unlabelled`);
    this.name = 'PoolExhaustedError';
  }
}
