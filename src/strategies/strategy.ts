import type { JointModule } from '../models/joint.js';
import type { ModelName } from '../spec/types.js';
import type { Rng } from '../rng.js';

/**
 * What a strategy asks the loop to compute for the current pool, once per round. The loop looks
 * only at these names (never at which strategy asked), computes each at most once, and hands the
 * results over in the `SelectionContext`.
 *
 * - `probs`: softmax outputs of the task model on the pool (`ctx.probs`).
 * - `labeledProbs`: the same on the labelled set (`ctx.labeledProbs`).
 * - `mcProbs`: T stochastic passes with seeded dropout masks (`ctx.mcProbs`; T and the rate come
 *   from `Strategy.needOptions`).
 * - `committeeProbs`: K committee members' softmax outputs (`ctx.committeeProbs`; K from
 *   `needOptions.committeeSize`), every member trained with the cell's recipe (loop/committee.ts):
 *   independent members with the task model as member 0, or bagged members (`committeeBootstrap`).
 * - `selfsupEmbeddings`: embeddings of the pool and the labelled set by a self-supervised (SimCLR)
 *   encoder pretrained without labels on the training pool, once per cell and cached
 *   (`ctx.selfsupEmbeddings`; encoder settings from `needOptions.selfsup`; loop/selfsup-features.ts).
 * - `embeddings`: penultimate-layer features of the task model, pool and labelled set.
 * - `gradEmbeddings`: last-layer gradient embeddings with the hypothesised label, in factorised form.
 * - `inputs`: the raw training inputs (a model-independent representation).
 * - `trainModel`: the capability to train extra models on the labelled set (`ctx.trainModel`).
 *
 * Training-time needs: the loop satisfies these while it trains the task model, through training
 * hooks (models/joint.ts) that exist only for strategies declaring them (loop/training-needs.ts).
 * - `epochProbs`: softmax outputs on the pool at the end of every training epoch of the round
 *   (`ctx.epochProbs`).
 * - `jointTraining`: a module the strategy defines (`Strategy.jointModule`) is trained jointly
 *   with the task model on its intermediate features; `ctx.jointOutputs` holds its output on the pool.
 */
export const NEED_NAMES = [
  'probs',
  'labeledProbs',
  'mcProbs',
  'committeeProbs',
  'embeddings',
  'gradEmbeddings',
  'inputs',
  'selfsupEmbeddings',
  'trainModel',
  'epochProbs',
  'jointTraining',
] as const;
export type Need = (typeof NEED_NAMES)[number];

/** Sizes of the needs that have one. Read by the loop only for the needs a strategy declares. */
export interface NeedOptions {
  /** `mcProbs`: number of stochastic forward passes T. */
  readonly mcPasses?: number;
  /**
   * `mcProbs`: unused by the loop, which samples the model's own dropout layers at the rates they
   * were trained with (models/mc-dropout.ts); the spec validator rejects a value that differs from
   * the model's `dropout`.
   */
  readonly dropoutRate?: number;
  /** `committeeProbs`: number of members K (the task model counts as one unless `committeeBootstrap`). */
  readonly committeeSize?: number;
  /**
   * `committeeProbs`: train every member on its own bootstrap resample of the labelled set (query
   * by committee with bagging, Abe & Mamitsuka 1998) instead of the whole set from independent
   * initialisations (Beluch et al. 2018). Default false. See loop/committee.ts.
   */
  readonly committeeBootstrap?: boolean;
  /** `selfsupEmbeddings`: the encoder's settings (the `selfsup` representation's parameters, src/selfsup/params.ts). */
  readonly selfsup?: Readonly<Record<string, number>>;
}

/**
 * Models a strategy trains through `ctx.trainModel` in every querying round, declared so that
 * `albench plan` can count them (the loop never reads this): `count` models of `model` (default:
 * the cell's), each for round(epochs × `epochScale`) epochs on the labelled set, each scoring the
 * pool once.
 */
export interface QueryTraining {
  readonly count: number;
  readonly model?: ModelName;
  readonly epochScale?: number;
}

/** Row-major matrix of `rows × dim` floats. */
export interface Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly dim: number;
}

/**
 * The last-layer gradient embedding of BADGE (Ash et al. 2020) for pool row i is the outer product
 * `scale_i ⊗ features_i`, with `scale_i = p_i − onehot(argmax p_i)` (`[classes]`) and `features_i` the
 * penultimate embedding (`[dim]`). Kept factorised: ‖g_i − g_j‖² needs only the two dot products.
 */
export interface GradEmbeddings {
  /** `[pool, classes]`. */
  readonly scale: Matrix;
  /** `[pool, dim]`. */
  readonly features: Matrix;
}

/** A model the loop trained for a strategy (committee member, bootstrap member, SVP proxy). */
export interface AuxModel {
  /** Softmax outputs on the given training-set indices: `[rows, classes]`. */
  probs(rows: Int32Array): Promise<Float32Array>;
  /** Penultimate-layer embeddings on the given training-set indices. */
  embeddings(rows: Int32Array): Promise<Matrix>;
  /** Frees the model's tensors. A strategy disposes every model it asked for. */
  dispose(): void;
}

/**
 * What a strategy may ask the loop to train. Labels come only from the labelled set: the loop
 * rejects any row that is not labelled, so no strategy can peek at an unlabelled label.
 */
export interface AuxTrainRequest {
  /**
   * Names the seeded streams of this model (`aux/<tag>/weights`, `aux/<tag>/shuffle/<round>/<epoch>`).
   * Two strategies that use the same tag train the same model from the same streams.
   */
  readonly tag: string;
  /** Training-set indices to train on, repeats allowed (bootstrap). Every one must be labelled. */
  readonly rows: Int32Array;
  /** Architecture; the cell's model when omitted (SVP uses a smaller proxy). */
  readonly model?: 'mlp' | 'cnn';
  /** Epochs; the cell's training epochs when omitted. */
  readonly epochs?: number;
  /** Fraction of the cell's epochs (rounded, at least 1) when `epochs` is omitted; SVP's shorter proxy. */
  readonly epochScale?: number;
}

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
  /** Labels of `labeled`, in the same order (revealed labels only). */
  readonly labeledY?: Int32Array;
  /** Softmax outputs of the current model on the pool, row-major `[pool.length, numClasses]`. */
  readonly probs?: Float32Array;
  /** Softmax outputs on the labelled set, `[labeled.length, numClasses]`. */
  readonly labeledProbs?: Float32Array;
  /** MC-dropout softmax outputs, `[T, pool.length, numClasses]`. */
  readonly mcProbs?: { readonly passes: number; readonly data: Float32Array };
  /** Committee softmax outputs, `[K, pool.length, numClasses]`. */
  readonly committeeProbs?: { readonly members: number; readonly data: Float32Array };
  /** Penultimate-layer embeddings of the pool, `[pool.length, dim]`. */
  readonly embeddings?: Matrix;
  /** Penultimate-layer embeddings of the labelled set, `[labeled.length, dim]`. */
  readonly labeledEmbeddings?: Matrix;
  readonly gradEmbeddings?: GradEmbeddings;
  /** Raw inputs of the whole training set, `[train.n, featureSize]`, indexed by training-set index. */
  readonly inputs?: Matrix;
  /**
   * Self-supervised embeddings of the whole training set, `[train.n, dim]`, indexed by
   * training-set index like `inputs` (they do not depend on the round's model).
   */
  readonly selfsupEmbeddings?: Matrix;
  /** Trains an extra model on labelled rows with the cell's training config and seeded streams. */
  readonly trainModel?: (request: AuxTrainRequest) => Promise<AuxModel>;
  /**
   * Softmax outputs on the pool at the end of each epoch of this round's training (early stopping
   * may end it before the configured epochs), `[epochs, pool.length, numClasses]`.
   */
  readonly epochProbs?: { readonly epochs: number; readonly data: Float32Array };
  /** The output of the strategy's jointly trained module on each pool row, `[pool.length]`. */
  readonly jointOutputs?: Float32Array;
}

/** What the loop tells `Strategy.jointModule` when it builds the round's module. */
export interface JointModuleSpec {
  /** Shapes of the task model's feature taps, without the batch axis (models/joint.ts). */
  readonly tapShapes: readonly (readonly number[])[];
  /** Epochs of the round's training. */
  readonly epochs: number;
  /** The module's own seeded stream (`joint/<round>` of the cell seed). */
  readonly rng: Rng;
}

/** The batch a strategy chose, as training-set indices, in the order chosen. */
export interface Selection {
  readonly indices: readonly number[];
  /**
   * Pseudo-labels for the next training only (CEAL, Wang et al. 2017): unlabelled training-set
   * indices with the label the model is confident of. The loop records them and adds them to the
   * next round's training set; they are never counted as labels spent and never join the labelled set.
   */
  readonly pseudoLabels?: { readonly indices: readonly number[]; readonly labels: readonly number[] };
  /**
   * What the strategy did beyond its method's main rule this round, one short sentence each (a
   * documented fallback that fired, e.g. "probcover: full coverage after 3 picks; 7 in seeded
   * order"). The loop copies them into the round record (`strategyNotes`); absent when none fired.
   */
  readonly notes?: readonly string[];
}

/** A query strategy: a thin object over a pure scoring function. */
export interface Strategy {
  readonly name: string;
  readonly needs: ReadonlySet<Need>;
  readonly needOptions?: NeedOptions;
  /** With the `trainModel` need: what it trains per round, for cost estimates (see QueryTraining). */
  readonly queryTrainings?: readonly QueryTraining[];
  /**
   * With the `jointTraining` need: a fresh module for this round, trained by the loop jointly with
   * the task model. The strategy defines the network and its loss; the loop trains it, computes
   * `ctx.jointOutputs` with it, and disposes it.
   */
  readonly jointModule?: (spec: JointModuleSpec) => JointModule;
  select(ctx: SelectionContext, batchSize: number, rng: Rng): Promise<Selection>;
  /**
   * Releases what the strategy keeps across the rounds of a cell (a process strategy's child
   * process). The loop calls it once when the cell ends, completed or failed.
   */
  dispose?(): void | Promise<void>;
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

/** The value of a need, or an error naming the strategy and the need the loop failed to provide. */
export function required<T>(value: T | undefined, strategy: string, need: Need): T {
  if (value === undefined) throw new Error(`strategy ${strategy} needs '${need}' but the loop did not provide it`);
  return value;
}

/** Throws PoolExhaustedError unless the pool can supply `batchSize` examples. */
export function checkBatch(ctx: SelectionContext, batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 0) throw new RangeError(`batch size must be a non-negative integer, got ${batchSize}`);
  if (batchSize > ctx.pool.length) throw new PoolExhaustedError(batchSize, ctx.pool.length);
}
