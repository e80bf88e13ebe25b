/** A labelled split: `x` is row-major `[n, ...shape]`, `y` holds class ids in `[0, numClasses)`. */
export interface Split {
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly n: number;
}

/**
 * An in-memory dataset. Loaders verify format and checksum; `checksum` identifies the exact bytes
 * (and split) so results can say what they were computed on.
 */
export interface Dataset {
  readonly name: string;
  /** Shape of one example, e.g. `[28, 28, 1]` for images or `[d]` for feature vectors. */
  readonly shape: readonly number[];
  readonly numClasses: number;
  readonly train: Split;
  readonly test: Split;
  /** SHA-256 (hex) of the source bytes plus any split parameters. */
  readonly checksum: string;
  /** Human-readable provenance: file paths, licence, split recipe. */
  readonly source: string;
  /** Whether a horizontal flip preserves labels (used by augmentation). */
  readonly flipPreservesLabel: boolean;
  /**
   * Set when features were standardised: per-channel (images) or per-feature mean and standard
   * deviation, computed on the training pool only and applied to train and test alike.
   */
  readonly normalization?: { readonly mean: readonly number[]; readonly std: readonly number[] };
}

/** Number of features of one example. */
export function featureSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Thrown when a dataset file is missing, truncated or corrupt. The message names the file and the fix. */
export class DatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}
