/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, Zalando, MIT licence): 70,000 28×28 grey-scale
 * clothing images in 10 classes, official 60k/10k split. Not bundled (30 MB); found on the search
 * path (Debian's dataset-fashion-mnist included) or fetched with `albench data fetch fashion-mnist`.
 */
import type { Dataset } from './dataset.js';
import { datasetSearchPath } from './locate.js';
import { loadIdxFamily, type IdxFamilyOptions } from './mnist-family.js';
import { FASHION_MNIST_SOURCE } from './sources.js';

export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;
export type FashionMnistFile = keyof typeof FASHION_MNIST_FILES;

/**
 * SHA-256 of each file's *decompressed* IDX bytes (see sources.ts). Debian's package ships
 * re-compressed .gz files whose bytes differ from the official downloads; the IDX data inside is
 * the same, so the content is what is pinned.
 */
export const FASHION_MNIST_SHA256 = Object.fromEntries(
  FASHION_MNIST_SOURCE.files.map((f) => [f.key, f.contentSha256]),
) as Readonly<Record<FashionMnistFile, string>>;

/**
 * SHA-256 of the .gz files as shipped by Debian's dataset-fashion-mnist
 * (0.0~git20200523.55506a9-1), for users who want to `sha256sum -c` a copy. Informational only.
 */
export const FASHION_MNIST_DEBIAN_GZ_SHA256: Readonly<Record<FashionMnistFile, string>> = {
  trainImages: 'b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7',
  trainLabels: '0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056',
  testImages: 'cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa',
  testLabels: '8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05',
};

export const DEBIAN_FASHION_MNIST_DIR = FASHION_MNIST_SOURCE.systemDirs[0];

export interface FashionMnistOptions extends IdxFamilyOptions {
  readonly expectedSha256?: Partial<Record<FashionMnistFile, string>>;
}

/**
 * Directories tried in order: `dataDir`, `$ALBENCH_DATA`, `./data/fashion-mnist`, then Debian's
 * install location.
 */
export function fashionMnistSearchPath(dataDir?: string, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string[] {
  return datasetSearchPath(FASHION_MNIST_SOURCE, dataDir, env, cwd);
}

export function loadFashionMnist(options: FashionMnistOptions = {}): Promise<Dataset> {
  return loadIdxFamily(
    FASHION_MNIST_SOURCE,
    `Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, Zalando SE, MIT licence, ${FASHION_MNIST_SOURCE.homepage})`,
    options as IdxFamilyOptions,
  );
}
