/**
 * Dataset registry: one entry point from a `DatasetConfig` to a loaded, verified `Dataset`,
 * plus the descriptions `albench list datasets` prints.
 */
import type { DatasetConfig, DatasetName } from '../spec/types.js';
import type { Dataset } from './dataset.js';
import { DIGITS_DEFAULTS, loadDigits } from './digits.js';
import { loadFashionMnist } from './fashion-mnist.js';
import { loadSynthetic, syntheticParams } from './synthetic.js';

export interface LoadDatasetOptions {
  /** Extra directory searched first for downloaded data (`--data-dir`). Not part of the data's identity. */
  readonly dataDir?: string;
}

export const DATASET_INFO: Record<DatasetName, { description: string; source: string }> = {
  digits: {
    description: 'UCI optical hand-written digits: 1,797 8×8 grey-scale images, 10 classes; bundled, stratified split (default 25 % test).',
    source: 'Alpaydin & Kaynak (1998), UCI ML repository, CC BY 4.0; scikit-learn copy via Debian python3-sklearn, shipped in data/digits/.',
  },
  'fashion-mnist': {
    description: 'Zalando Fashion-MNIST: 70,000 28×28 grey-scale clothing images, 10 classes, official 60k/10k split.',
    source:
      'https://github.com/zalandoresearch/fashion-mnist (MIT). Not bundled: `apt-get install dataset-fashion-mnist`, or put the four IDX files in ./data/fashion-mnist or $ALBENCH_DATA.',
  },
  synthetic: {
    description: 'Gaussian blobs with configurable classes, dims, samples and class imbalance (geometric long-tail profile).',
    source: 'Generated in-process from splitSeed; no files.',
  },
};

/**
 * The config with defaults filled in and fields the data set ignores dropped, so equivalent
 * configs share one cache entry (fashion-mnist has an official split: testFraction/splitSeed do
 * not apply).
 */
export function canonicalDatasetConfig(config: DatasetConfig): DatasetConfig {
  switch (config.name) {
    case 'digits':
      return {
        name: 'digits',
        testFraction: config.testFraction ?? DIGITS_DEFAULTS.testFraction,
        splitSeed: config.splitSeed ?? DIGITS_DEFAULTS.splitSeed,
      };
    case 'fashion-mnist':
      return { name: 'fashion-mnist' };
    case 'synthetic':
      return { name: 'synthetic', ...syntheticParams(config) };
  }
}

/** In-process cache: a worker runs many cells on the same data and should read/verify it once. */
const cache = new Map<string, Promise<Dataset>>();

/**
 * Load (or reuse) the data set a cell asks for. The cached `Dataset` is shared between callers:
 * treat its arrays as read-only.
 */
export async function loadDataset(config: DatasetConfig, options: LoadDatasetOptions = {}): Promise<Dataset> {
  const canonical = canonicalDatasetConfig(config);
  const key = JSON.stringify(canonical);
  let pending = cache.get(key);
  if (!pending) {
    pending = loadUncached(canonical, options);
    cache.set(key, pending);
    // A failed load (missing file, …) must not stick: the user may fix it and retry in-process.
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

async function loadUncached(config: DatasetConfig, options: LoadDatasetOptions): Promise<Dataset> {
  switch (config.name) {
    case 'digits':
      return loadDigits(config);
    case 'fashion-mnist':
      return loadFashionMnist({ dataDir: options.dataDir });
    case 'synthetic':
      return loadSynthetic(config);
  }
}

/** Drop cached data sets (tests; long-lived processes that want the memory back). */
export function clearDatasetCache(): void {
  cache.clear();
}
