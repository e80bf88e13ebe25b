/** Names of the values each axis accepts. Validation, `--help` and `albench list` read these lists. */
export const DATASET_NAMES = ['digits', 'mnist', 'fashion-mnist', 'cifar10', 'synthetic', 'csv', 'npy'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export const MODEL_NAMES = ['mlp', 'cnn', 'linear'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

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
  /** Decoupled weight decay (AdamW, Loshchilov & Hutter 2019) on kernels: θ ← θ − lr·wd·θ per step. */
  readonly weightDecay?: number;
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

export interface TrainingConfig {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
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
  readonly model: ModelName;
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
