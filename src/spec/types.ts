/** Names of the values each axis accepts. Validation, `--help` and `albench list` read these lists. */
export const DATASET_NAMES = ['digits', 'mnist', 'fashion-mnist', 'cifar10', 'synthetic', 'csv', 'npy'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export const MODEL_NAMES = ['mlp', 'cnn', 'linear', 'resnet18'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/**
 * A model with its parameters (src/models/model-params.ts): the bare name when every parameter is
 * at its default, so cells from before models took parameters keep their ids.
 */
export type ModelSetting = ModelName | ModelWithParams;
export interface ModelWithParams {
  readonly name: ModelName;
  /** mlp, cnn, resnet18: dropout rate p (absent = 0, no dropout layers). */
  readonly dropout?: number;
  /** resnet18: channels of the first stage (absent = 64). */
  readonly width?: number;
  /** resnet18: BasicBlocks per stage (absent = 2). */
  readonly depth?: number;
}

/** Training-input augmentation policies (src/data/augment): none, pad+crop (+flip), standard + RandAugment + cutout. */
export const AUGMENTATION_NAMES = ['none', 'standard', 'strong'] as const;
export type AugmentationName = (typeof AUGMENTATION_NAMES)[number];

/** Semi-supervised training on the unlabelled pool (src/models/ssl). */
export const SSL_NAMES = ['none', 'pseudo-label', 'fixmatch', 'mean-teacher'] as const;
export type SslName = (typeof SSL_NAMES)[number];

/** Per-round training protocol (src/models/protocol): retrain from the shared initial weights, or continue. */
export const PROTOCOL_NAMES = ['retrain', 'warm-start'] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

/**
 * A method on the augmentation or SSL axis with its parameters, defaults filled in, e.g.
 * `{ name: 'fixmatch', threshold: 0.95, mu: 7, weight: 1 }`. `'none'` stays a bare string, so
 * cells that use neither keep the ids they had before these axes had values.
 */
export type MethodSetting<N extends string> = 'none' | ({ readonly name: Exclude<N, 'none'> } & Readonly<Record<string, number | string>>);
export type AugmentationSetting = MethodSetting<AugmentationName>;
export type SslSetting = MethodSetting<SslName>;

/**
 * How each round trains. Absent from a cell when it is plain `retrain` with no options, so older
 * cell ids are unchanged. Options are present only when on.
 */
export interface ProtocolConfig {
  readonly name: ProtocolName;
  /** SWA (Izmailov et al. 2018): average the weights at the end of every epoch from this fraction of training on. */
  readonly swaStart?: number;
  /** Early stopping on a validation split of this fraction of the labelled set (never test labels). */
  readonly validationFraction?: number;
  /** Early stopping: epochs without a lower validation loss before training stops (best weights kept). */
  readonly patience?: number;
}

/**
 * What the models and strategies see: the `raw` inputs (the default), or `selfsup`, the frozen
 * embeddings of a SimCLR encoder pretrained without labels on the training pool (src/selfsup).
 */
export const REPRESENTATION_NAMES = ['raw', 'selfsup'] as const;
export type RepresentationName = (typeof REPRESENTATION_NAMES)[number];

/**
 * The `selfsup` representation with its encoder settings (defaults filled in; src/selfsup/params.ts).
 * Absent from a cell for `raw`, so cells from before this axis keep their ids.
 */
export interface RepresentationConfig {
  readonly name: 'selfsup';
  readonly epochs: number;
  readonly temperature: number;
  readonly embeddingDim: number;
  readonly batchSize: number;
  readonly learningRate: number;
}

/** How features are scaled after loading; `standardize` uses statistics of the training pool only. */
export const NORMALIZE_NAMES = ['none', 'standardize'] as const;
export type NormalizeName = (typeof NORMALIZE_NAMES)[number];

/**
 * Dataset identity as it enters the cell id. Everything that changes the numbers is here
 * (split recipe, synthetic parameters, variants, the user's files and their SHA-256); where
 * downloaded files live (`--data-dir`) is not.
 */
export interface DatasetConfig {
  readonly name: DatasetName;
  /** Fraction held out as the fixed test set, for datasets without an official test split. */
  readonly testFraction?: number;
  /**
   * Seed of the stratified train/test split and of the variants (imbalance, poolSize, testSize).
   * Fixed per study so every cell sees the same test set and pool.
   */
  readonly splitSeed?: number;
  /** synthetic only: Gaussian blobs. */
  readonly classes?: number;
  readonly dims?: number;
  readonly samples?: number;
  /**
   * Variant, any dataset: long-tailed training pool (Cui et al. 2019, as in CIFAR-10-LT): class k
   * keeps n_max · imbalance^(−k/(K−1)) examples, so the largest/smallest ratio is `imbalance`.
   * The test set stays as it was. 1 = unchanged.
   */
  readonly imbalance?: number;
  /** Variant, any dataset: a seeded stratified subset of the training pool of this size. */
  readonly poolSize?: number;
  /** Variant, any dataset: a seeded stratified subset of the fixed test set of this size. */
  readonly testSize?: number;
  /** Feature scaling; default `none` for built-in data (already in [0, 1]), `standardize` for csv/npy. */
  readonly normalize?: NormalizeName;
  /**
   * csv: the training CSV file; npy: the directory holding x.npy and y.npy (and optionally
   * x_test.npy, y_test.npy). Written relative to the spec file; stored resolved (absolute).
   */
  readonly path?: string;
  /** csv only: a CSV file with the fixed test set (same columns). Without it the data is split by testFraction. */
  readonly test?: string;
  /** csv only: the label column, by header name or 0-based index (default: a column named "label", else the last). */
  readonly label?: string | number;
  /** csv/npy: SHA-256 of the user's files (filled in by albench; give it in a spec to pin the data). */
  readonly sha256?: string;
}

/** Optimisers of `training.optimizer`. */
export const OPTIMIZER_NAMES = ['adam', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Learning-rate schedules of `training.schedule`. */
export const SCHEDULE_NAMES = ['constant', 'cosine'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** SGD with (optionally Nesterov) momentum, as torch.optim.SGD defines it. Adam is the default and is never recorded. */
export interface SgdConfig {
  readonly name: 'sgd';
  readonly momentum: number;
  readonly nesterov: boolean;
}

/** Beck et al. 2021's stopping rule: train epoch by epoch until the training accuracy reaches a level. */
export interface UntilConfig {
  /** Stop after the first epoch whose training accuracy (labelled set, clean inputs) is ≥ this. */
  readonly trainAccuracy: number;
  /** Stop after this many epochs whatever the accuracy. */
  readonly maxEpochs: number;
}

/** Hyper-parameter selection by k-fold cross-validation on round 0's labelled set (src/models/tune.ts). */
export interface TuneConfig {
  readonly learningRate: readonly number[];
  readonly weightDecay: readonly number[];
  readonly folds: number;
}

/**
 * How each round trains the task model. A round's length is `epochs` passes over the labelled set
 * (at least `minSteps` optimizer steps when given), or `steps` optimizer steps whatever the
 * labelled-set size, or epochs until the training accuracy reaches `until.trainAccuracy`.
 * Every option beyond `epochs`, `batchSize` and `learningRate` is present only when used, so a
 * spec that uses none keeps its cell ids (src/models/recipe.ts reads this).
 */
export interface TrainingConfig {
  /** Passes over the labelled set per round. Absent when `steps` or `until` sets the length. */
  readonly epochs?: number;
  /** Optimizer steps per round, whatever the labelled-set size. */
  readonly steps?: number;
  /** With `epochs`: at least this many optimizer steps (more epochs at small labelled sets). */
  readonly minSteps?: number;
  readonly batchSize: number;
  /** Peak learning rate (the schedule's starting value after warm-up). */
  readonly learningRate: number;
  /** Absent: Adam (tfjs defaults β1 0.9, β2 0.999, ε 1e-7). */
  readonly optimizer?: SgdConfig;
  /** Absent: constant. `cosine` decays to 0 over the round's steps (Loshchilov & Hutter 2017, without restarts). */
  readonly schedule?: 'cosine';
  /** Linear warm-up from 0 over this many steps. */
  readonly warmupSteps?: number;
  /** Decoupled for Adam (AdamW), L2 added to the gradient for SGD; applied to kernels only. */
  readonly weightDecay?: number;
  readonly until?: UntilConfig;
  readonly tune?: TuneConfig;
}

/**
 * A strategy loaded from the user's ES module: `{ module: './my-strategy.js', export: 'myStrategy' }`
 * in a spec. Worker processes load it again from this record, so it holds everything they need.
 */
export interface StrategyPlugin {
  /** Absolute path of the module file (the spec gives it relative to the spec file). */
  readonly module: string;
  /** Name of the export holding the `Strategy` object. */
  readonly export: string;
  /** SHA-256 of the module file's bytes when the study was expanded; checked again before it runs. */
  readonly sha256: string;
}

/**
 * A strategy run as another process (`{ name, command: [python3, my.py], needs: [probs] }` in a
 * spec; strategies/process-strategy.ts). All of it enters the cell id.
 */
export interface StrategyCommand {
  /** Program and arguments; paths resolved against the spec file's folder (absolute). */
  readonly argv: readonly string[];
  /** The script: the first argument naming a file. */
  readonly script: string;
  /** SHA-256 of the script's bytes when the study was expanded; checked again before it runs. */
  readonly sha256: string;
  /** Declared needs, in NEED_NAMES order. */
  readonly needs: readonly string[];
  /** Seconds one selection may take; absent: the default (DEFAULT_TIMEOUT_SECONDS). */
  readonly timeout?: number;
}

/** One fully resolved cell of the experiment matrix. Its `id` is a hash of everything else. */
export interface ResolvedCell {
  readonly id: string;
  readonly dataset: DatasetConfig;
  readonly model: ModelSetting;
  readonly strategy: string;
  /**
   * The strategy's parameters with defaults filled in (e.g. `{ passes: 20 }` for BALD). Absent for
   * strategies without parameters, so their cell ids are unchanged.
   */
  readonly strategyParams?: Readonly<Record<string, number>>;
  /**
   * Set when the strategy comes from the user's module (`{ module, export }` in the spec) rather
   * than the registry. Its SHA-256 is part of the cell id, so editing the module gives new cells.
   */
  readonly plugin?: StrategyPlugin;
  /** Set when the strategy runs as another process; its command, script SHA-256 and needs are part of the cell id. */
  readonly command?: StrategyCommand;
  /** Labelled-set size at which the loop ends. */
  readonly budget: number;
  /** Labels acquired per round (the AL batch size). */
  readonly batchSize: number;
  /** Labelled-set size before the first query. */
  readonly initialSize: number;
  readonly augmentation: AugmentationSetting;
  readonly ssl: SslSetting;
  /** Training protocol; absent means `retrain` without options (the default). */
  readonly protocol?: ProtocolConfig;
  /** Input representation; absent means `raw` (the default). */
  readonly representation?: RepresentationConfig;
  readonly seed: number;
  readonly training: TrainingConfig;
}

/** A validated study: its name and its expanded cells, in a stable order. */
export interface Study {
  readonly name: string;
  /** The spec's description, shown at the top of the report. */
  readonly description?: string;
  readonly cells: readonly ResolvedCell[];
  /** Axis name → the distinct values it takes in this study (for faceting and plans). */
  readonly axes: Readonly<Record<string, readonly unknown[]>>;
  /** The spec's per-finding overrides (`findings:`), for the report; never part of a cell id. */
  readonly findings?: Readonly<Record<string, { readonly minEffect?: number }>>;
}
