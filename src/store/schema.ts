import type { ResolvedCell } from '../spec/types.js';

export const SCHEMA_VERSION = 1;

/** Where and with what a cell ran. Ignored when comparing results. */
export interface EnvInfo {
  readonly albench: string;
  readonly tfjs: string;
  readonly backend: string;
  readonly node: string;
  readonly os: string;
}

/** One AL round: train on `labeled` labels, evaluate, then select the next batch. */
export interface RoundRecord {
  readonly round: number;
  readonly labeled: number;
  readonly accuracy: number;
  readonly macroF1: number;
  readonly trainMs: number;
  readonly queryMs: number;
  /** Training-set indices chosen at the end of this round (empty in the last round). */
  readonly selected: readonly number[];
  /** Per-class counts of `selected`, length = number of classes. */
  readonly selectedClassCounts: readonly number[];
  /**
   * Pseudo-labels the strategy attached to this round's selection (CEAL): used for the next
   * training only, never counted in `labeled`. Absent when the strategy gave none.
   */
  readonly pseudoLabels?: { readonly indices: readonly number[]; readonly labels: readonly number[] };
  /** The strategy's notes on this round's selection (a documented fallback that fired); absent when none. */
  readonly strategyNotes?: readonly string[];
  /** SSL cells: the trained model's pseudo-labels on the pool, scored by the harness (never the learner). */
  readonly ssl?: SslRoundStats;
  /** Early stopping: the validation split carved from this round's labelled set, and where training stopped. */
  readonly validation?: ValidationRecord;
  /** SWA: how many end-of-epoch weight snapshots were averaged into the evaluated model. */
  readonly swaSnapshots?: number;
  /**
   * Evidence of fit, after training, on the labelled set with clean inputs (models/fit.ts): mean
   * cross-entropy and accuracy. Absent in results written before these fields existed.
   */
  readonly trainLoss?: number;
  readonly trainAccuracy?: number;
  /** Optimizer steps the round's training took. */
  readonly steps?: number;
}

/** Per-round SSL statistics over the unlabelled pool (true labels known to the harness only). */
export interface SslRoundStats {
  /** Confidence level of the statistics (the method's τ; 0.95 for mean-teacher). */
  readonly threshold: number;
  readonly poolSize: number;
  /** Fraction of the pool whose largest predicted probability is ≥ threshold. */
  readonly fractionAboveThreshold: number;
  /** Accuracy of the argmax on those rows; null when none is above the threshold. */
  readonly pseudoLabelAccuracy: number | null;
}

/** The early-stopping split of one round: validation rows are labelled rows held out of training. */
export interface ValidationRecord {
  /** Training-set indices of the validation rows (a seeded subset of the labelled set). */
  readonly indices: readonly number[];
  /** Epochs trained before stopping (≤ the configured epochs). */
  readonly epochsRun: number;
  /** 0-based epoch whose weights were kept (lowest validation loss). */
  readonly bestEpoch: number;
  readonly bestLoss: number;
}

/**
 * `training.tune` cells: the recipe chosen by k-fold cross-validation on round 0's labelled set
 * (models/tune.ts), identical for every strategy of a seed. Test labels play no part.
 */
export interface TuningRecord {
  /** The tuning's identity: equal for every cell that shares it (all strategies of a seed). */
  readonly key: string;
  readonly folds: number;
  readonly choice: { readonly learningRate: number; readonly weightDecay: number };
  /** Every candidate, in grid order, with its held-out accuracy per fold and their mean. */
  readonly scores: readonly { readonly learningRate: number; readonly weightDecay: number; readonly foldAccuracy: readonly number[]; readonly meanAccuracy: number }[];
  /** Wall time of the cross-validation (when another cell computed it first, that cell's). */
  readonly tuneMs: number;
}

interface ResultBase {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly cell: ResolvedCell;
  readonly env: EnvInfo;
  /** Checksum and provenance of the data actually used. */
  readonly data: { readonly checksum: string; readonly source: string; readonly trainSize: number; readonly testSize: number };
  /** Training-set indices of the initial labelled set. */
  readonly initial: readonly number[];
  readonly rounds: readonly RoundRecord[];
  readonly startedAt: string;
  readonly finishedAt: string;
  /**
   * Present when this result was not computed on its own but cut from the first `rounds` rounds
   * of a larger-budget cell with the same configuration (src/runner/budget-prefix.ts).
   */
  readonly derivedFrom?: { readonly cellId: string; readonly rounds: number };
  /**
   * Present when round 0's model was not trained by this cell but loaded from the run's shared
   * round-0 snapshot `key`, trained by another strategy's cell with identical round-0 inputs
   * (src/loop/round0-cache.ts). The weights are the same bit for bit either way.
   */
  readonly reusedRound0?: { readonly key: string };
  /**
   * `representation: selfsup` cells: the frozen SimCLR encoder the cell ran on (src/selfsup).
   * `sha256` hashes its weights and embeddings; `key` names its cache entry.
   */
  readonly encoder?: { readonly method: 'simclr'; readonly key: string; readonly sha256: string; readonly embeddingDim: number };
  /** `training.tune` cells: the recipe chosen on round 0's labelled set. */
  readonly tuning?: TuningRecord;
}

export interface CompletedResult extends ResultBase {
  readonly status: 'completed';
}

export interface FailedResult extends ResultBase {
  readonly status: 'failed';
  readonly error: { readonly message: string; readonly stack?: string };
}

/** The content of `results/<study>/cells/<cellId>.json`. */
export type CellResult = CompletedResult | FailedResult;

/**
 * Round fields added after results were first committed (schema version unchanged: they are
 * optional and additive). A recorded result without them is verified on the fields it has.
 */
export const ADDED_ROUND_FIELDS = ['trainLoss', 'trainAccuracy', 'steps'] as const;

/** Fields that legitimately differ between two runs of the same cell. */
export const TIMING_FIELDS = ['trainMs', 'queryMs', 'startedAt', 'finishedAt', 'tuneMs'] as const;
