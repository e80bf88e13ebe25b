/**
 * Dataset registry: one entry point from a `DatasetConfig` to a loaded, verified `Dataset` (base
 * data plus variants), the canonical form of a config that goes into cell ids, and the
 * descriptions `albench list datasets` / `albench data list` print.
 */
import { resolve } from 'node:path';
import type { DatasetConfig, DatasetName } from '../spec/types.js';
import { loadCifar10 } from './cifar10.js';
import { CSV_DEFAULTS, loadCsv } from './csv.js';
import { DatasetError, type Dataset } from './dataset.js';
import { DIGITS_DEFAULTS, loadDigits } from './digits.js';
import { loadFashionMnist } from './fashion-mnist.js';
import { loadMnist } from './mnist.js';
import { loadNpy, NPY_DEFAULTS } from './npy.js';
import { loadSynthetic, syntheticParams } from './synthetic.js';
import { hasOwnTestSet, userDataSha256 } from './user-files.js';
import { applyVariants } from './variants.js';

export interface LoadDatasetOptions {
  /** Extra directory searched first for downloaded data (`--data-dir`). Not part of the data's identity. */
  readonly dataDir?: string;
}

export const DATASET_INFO: Record<DatasetName, { description: string; source: string }> = {
  digits: {
    description: 'UCI optical hand-written digits: 1,797 8×8 grey-scale images, 10 classes; bundled, stratified split (default 25 % test).',
    source: 'Alpaydin & Kaynak (1998), UCI ML repository, CC BY 4.0; scikit-learn copy via Debian python3-sklearn, shipped in data/digits/.',
  },
  mnist: {
    description: 'MNIST hand-written digits: 70,000 28×28 grey-scale images, 10 classes, official 60k/10k split (IDX).',
    source: 'LeCun et al. (1998), http://yann.lecun.com/exdb/mnist/. Not bundled: `albench data fetch mnist`, or put the four IDX files (raw or .gz) in ./data/mnist or $ALBENCH_DATA.',
  },
  'fashion-mnist': {
    description: 'Zalando Fashion-MNIST: 70,000 28×28 grey-scale clothing images, 10 classes, official 60k/10k split (IDX).',
    source:
      'https://github.com/zalandoresearch/fashion-mnist (MIT). Not bundled: `apt-get install dataset-fashion-mnist`, `albench data fetch fashion-mnist`, or put the four IDX files in ./data/fashion-mnist or $ALBENCH_DATA.',
  },
  cifar10: {
    description: 'CIFAR-10: 60,000 32×32 colour images, 10 classes, official 50k/10k split (binary version, CHW records converted to HWC).',
    source: 'Krizhevsky (2009), https://www.cs.toronto.edu/~kriz/cifar.html. Not bundled: `albench data fetch cifar10` (170 MB), or put data_batch_1..5.bin and test_batch.bin in ./data/cifar10.',
  },
  synthetic: {
    description: 'Gaussian blobs with configurable classes, dims and samples; generated from splitSeed.',
    source: 'Generated in-process from splitSeed; no files.',
  },
  csv: {
    description: 'Your CSV: numeric feature columns and a label column (`label`, by name or index); optional fixed test file (`test`), else a stratified split.',
    source: 'Declared in the spec by `path` (relative to the spec file); its SHA-256 is part of the cell id. Standardised by default (statistics from the training pool).',
  },
  npy: {
    description: 'Your NumPy arrays: a directory with x.npy (float32/uint8, [n, d] / [n, h, w] / [n, h, w, c]) and y.npy (int class ids), optionally x_test.npy + y_test.npy.',
    source: 'Declared in the spec by `path` (a directory, relative to the spec file); SHA-256 of the files is part of the cell id. Standardised by default.',
  },
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Data sets that come with an official test split (testFraction does not apply). */
const OFFICIAL_SPLIT: ReadonlySet<DatasetName> = new Set(['mnist', 'fashion-mnist', 'cifar10']);

/** The part of a config that identifies the base data (before variants). */
function canonicalBase(config: DatasetConfig): Mutable<DatasetConfig> {
  switch (config.name) {
    case 'digits':
      return { name: 'digits', testFraction: config.testFraction ?? DIGITS_DEFAULTS.testFraction, splitSeed: config.splitSeed ?? DIGITS_DEFAULTS.splitSeed };
    case 'mnist':
    case 'fashion-mnist':
    case 'cifar10':
      return { name: config.name };
    case 'synthetic':
      return { name: 'synthetic', ...syntheticParams(config) };
    case 'csv':
    case 'npy': {
      const out: Mutable<DatasetConfig> = { name: config.name, path: config.path === undefined ? undefined : resolve(config.path) };
      if (config.name === 'csv') {
        if (config.test !== undefined) out.test = resolve(config.test);
        if (config.label !== undefined) out.label = config.label;
      }
      if (!hasOwnTestSet(out)) {
        const defaults = config.name === 'csv' ? CSV_DEFAULTS : NPY_DEFAULTS;
        out.testFraction = config.testFraction ?? defaults.testFraction;
        out.splitSeed = config.splitSeed ?? defaults.splitSeed;
      }
      // The content hash makes the files' bytes part of the identity; a pin given in the spec is
      // kept so the loader can insist on it.
      out.sha256 = config.sha256 ?? userDataSha256(out);
      return out;
    }
  }
}

function checkVariants(config: DatasetConfig): void {
  const bad = (field: string, value: unknown, rule: string) => {
    throw new DatasetError(`dataset ${config.name}: ${field} must be ${rule}, got ${JSON.stringify(value)}`);
  };
  if (config.imbalance !== undefined && !(Number.isFinite(config.imbalance) && config.imbalance >= 1)) {
    bad('imbalance', config.imbalance, 'a finite number ≥ 1 (largest/smallest class size)');
  }
  if (config.poolSize !== undefined && !(Number.isInteger(config.poolSize) && config.poolSize >= 2)) bad('poolSize', config.poolSize, 'an integer ≥ 2');
  if (config.testSize !== undefined && !(Number.isInteger(config.testSize) && config.testSize >= 1)) bad('testSize', config.testSize, 'an integer ≥ 1');
}

/**
 * The config with defaults filled in and fields the data set ignores dropped, so equivalent configs
 * share one id and one cache entry. Fields that leave the data unchanged (imbalance 1, normalize
 * none on built-in data) are omitted, so adding these options kept earlier cell ids valid. User data
 * gets its absolute path and the SHA-256 of its files.
 */
export function canonicalDatasetConfig(config: DatasetConfig): DatasetConfig {
  checkVariants(config);
  const out = canonicalBase(config);
  const userData = config.name === 'csv' || config.name === 'npy';
  if (config.name !== 'synthetic' && config.imbalance !== undefined && config.imbalance !== 1) out.imbalance = config.imbalance;
  if (config.poolSize !== undefined) out.poolSize = config.poolSize;
  if (config.testSize !== undefined) out.testSize = config.testSize;
  const normalize = config.normalize ?? (userData ? 'standardize' : 'none');
  if (userData || normalize !== 'none') out.normalize = normalize;
  const samples = (out.imbalance ?? 1) !== 1 || out.poolSize !== undefined || out.testSize !== undefined;
  // Official-split data needs a seed only once a variant samples from it.
  if (OFFICIAL_SPLIT.has(config.name) && samples) out.splitSeed = config.splitSeed ?? 0;
  return out;
}

/** In-process caches: a worker runs many cells on the same data and should read/verify it once. */
const cache = new Map<string, Promise<Dataset>>();
const baseCache = new Map<string, Promise<Dataset>>();

function cached(map: Map<string, Promise<Dataset>>, key: string, load: () => Promise<Dataset>): Promise<Dataset> {
  let pending = map.get(key);
  if (!pending) {
    pending = load();
    map.set(key, pending);
    // A failed load (missing file, …) must not stick: the user may fix it and retry in-process.
    pending.catch(() => map.delete(key));
  }
  return pending;
}

/**
 * Load (or reuse) the data set a cell asks for. The cached `Dataset` is shared between callers:
 * treat its arrays as read-only.
 */
export async function loadDataset(config: DatasetConfig, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const canonical = canonicalDatasetConfig(config);
  return cached(cache, JSON.stringify(canonical), async () => {
    const base = canonicalBase(canonical);
    const data = await cached(baseCache, JSON.stringify(base), () => loadBase(base, options));
    return applyVariants(data, canonical);
  });
}

async function loadBase(config: DatasetConfig, options: LoadDatasetOptions): Promise<Dataset> {
  switch (config.name) {
    case 'digits':
      return loadDigits(config);
    case 'mnist':
      return loadMnist({ dataDir: options.dataDir });
    case 'fashion-mnist':
      return loadFashionMnist({ dataDir: options.dataDir });
    case 'cifar10':
      return loadCifar10({ dataDir: options.dataDir });
    case 'synthetic':
      return loadSynthetic(config);
    case 'csv':
      return loadCsv(config);
    case 'npy':
      return loadNpy(config);
  }
}

/** Drop cached data sets (tests; long-lived processes that want the memory back). */
export function clearDatasetCache(): void {
  cache.clear();
  baseCache.clear();
}
