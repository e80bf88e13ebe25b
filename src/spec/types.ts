/** Names of the values each axis accepts. Validation, `--help` and `albench list` read these lists. */
export const DATASET_NAMES = ['digits', 'fashion-mnist', 'synthetic'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export const MODEL_NAMES = ['mlp', 'cnn'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** Values come with the augmentation/SSL issue; the axes exist so specs and cell ids are stable. */
export const AUGMENTATION_NAMES = ['none'] as const;
export type AugmentationName = (typeof AUGMENTATION_NAMES)[number];

export const SSL_NAMES = ['none'] as const;
export type SslName = (typeof SSL_NAMES)[number];

/**
 * Dataset identity as it enters the cell id. Everything that changes the numbers is here
 * (split recipe, synthetic parameters); where the files live (`--data-dir`) is not.
 */
export interface DatasetConfig {
  readonly name: DatasetName;
  /** Fraction held out as the fixed test set, for datasets without an official test split. */
  readonly testFraction?: number;
  /** Seed of the stratified train/test split. Fixed per study so every cell sees the same test set. */
  readonly splitSeed?: number;
  /** synthetic only: Gaussian blobs. */
  readonly classes?: number;
  readonly dims?: number;
  readonly samples?: number;
  /** synthetic only: ratio of the largest to the smallest class (1 = balanced). */
  readonly imbalance?: number;
}

export interface TrainingConfig {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
}

/** One fully resolved cell of the experiment matrix. Its `id` is a hash of everything else. */
export interface ResolvedCell {
  readonly id: string;
  readonly dataset: DatasetConfig;
  readonly model: ModelName;
  readonly strategy: string;
  /** Labelled-set size at which the loop ends. */
  readonly budget: number;
  /** Labels acquired per round (the AL batch size). */
  readonly batchSize: number;
  /** Labelled-set size before the first query. */
  readonly initialSize: number;
  readonly augmentation: AugmentationName;
  readonly ssl: SslName;
  readonly seed: number;
  readonly training: TrainingConfig;
}

/** A validated study: its name and its expanded cells, in a stable order. */
export interface Study {
  readonly name: string;
  readonly cells: readonly ResolvedCell[];
  /** Axis name → the distinct values it takes in this study (for faceting and plans). */
  readonly axes: Readonly<Record<string, readonly unknown[]>>;
}
