/**
 * Fashion-MNIST (Zalando, MIT licence): 70,000 28×28 grey-scale clothing images in 10 classes,
 * with the official 60k/10k train/test split. Not bundled (30 MB); found on a search path.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { recipeChecksum, sha256Hex } from './checksum.js';
import { DatasetError, type Dataset, type Split } from './dataset.js';
import { readIdxFile, type IdxFile } from './idx.js';

export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;
export type FashionMnistFile = keyof typeof FASHION_MNIST_FILES;

/**
 * SHA-256 of each file's *decompressed* IDX bytes. Pinning the content rather than the .gz makes
 * the check independent of how the file was compressed: Debian's dataset-fashion-mnist ships
 * re-compressed .gz files whose bytes (and MD5s) differ from the official downloads, while the
 * IDX data inside is the same; unpacked raw files hash to these values directly.
 * Computed from dataset-fashion-mnist 0.0~git20200523.55506a9-1.
 */
export const FASHION_MNIST_SHA256: Readonly<Record<FashionMnistFile, string>> = {
  trainImages: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  trainLabels: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  testImages: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  testLabels: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
};

/**
 * SHA-256 of the .gz files as shipped by Debian's dataset-fashion-mnist, for users who want to
 * `sha256sum -c` a copy. Informational only: the loader checks the content hashes above.
 */
export const FASHION_MNIST_DEBIAN_GZ_SHA256: Readonly<Record<FashionMnistFile, string>> = {
  trainImages: 'b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7',
  trainLabels: '0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056',
  testImages: 'cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa',
  testLabels: '8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05',
};

export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
const SIDE = 28;
const NUM_CLASSES = 10;
const KEYS = Object.keys(FASHION_MNIST_FILES) as FashionMnistFile[];

export const FASHION_MNIST_HOWTO =
  'To get Fashion-MNIST: `apt-get install dataset-fashion-mnist` (Debian/Ubuntu; installs into ' +
  `${DEBIAN_FASHION_MNIST_DIR}), or download the four files train-images-idx3-ubyte.gz, ` +
  'train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from the official ' +
  'Zalando address https://github.com/zalandoresearch/fashion-mnist (folder data/fashion) into ' +
  './data/fashion-mnist, or into a directory named by $ALBENCH_DATA (or --data-dir).';

export interface FashionMnistOptions {
  /** Searched first (the directory itself, then `<dataDir>/fashion-mnist`). */
  readonly dataDir?: string;
  /** Replace the whole search path (tests). */
  readonly searchPath?: readonly string[];
  /** Override pinned content checksums (tests that write their own small IDX files). */
  readonly expectedSha256?: Partial<Record<FashionMnistFile, string>>;
}

/**
 * Directories tried in order: `dataDir`, `$ALBENCH_DATA`, `./data/fashion-mnist`, then Debian's
 * install location. `dataDir` and `$ALBENCH_DATA` may name either the files' directory or a data
 * root that has a `fashion-mnist/` subdirectory.
 */
export function fashionMnistSearchPath(
  dataDir?: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string[] {
  const dirs: string[] = [];
  for (const root of [dataDir, env.ALBENCH_DATA]) {
    if (root) dirs.push(resolve(cwd, root), resolve(cwd, root, 'fashion-mnist'));
  }
  dirs.push(resolve(cwd, 'data', 'fashion-mnist'), DEBIAN_FASHION_MNIST_DIR);
  return [...new Set(dirs)];
}

/** The raw file if present (no gunzip needed), else the .gz, else undefined. */
function findFile(dir: string, base: string): string | undefined {
  for (const name of [base, `${base}.gz`]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Pick the first directory holding any of the four files. All four must then be there: mixing
 * files from different directories would hide a half-finished download.
 */
export function locateFashionMnist(searchPath: readonly string[]): Record<FashionMnistFile, string> {
  for (const dir of searchPath) {
    const found = KEYS.map((key) => [key, findFile(dir, FASHION_MNIST_FILES[key])] as const);
    if (found.every(([, path]) => path === undefined)) continue;
    const missing = found.filter(([, path]) => path === undefined).map(([key]) => join(dir, FASHION_MNIST_FILES[key]));
    if (missing.length > 0) {
      throw new DatasetError(
        `Fashion-MNIST is incomplete in ${dir}: missing ${missing.map((p) => `${p}(.gz)`).join(', ')}. ${FASHION_MNIST_HOWTO}`,
      );
    }
    return Object.fromEntries(found) as Record<FashionMnistFile, string>;
  }
  throw new DatasetError(
    `Fashion-MNIST files not found; searched ${searchPath.join(', ')} for ${Object.values(FASHION_MNIST_FILES).join(', ')} ` +
      `(each raw or .gz). ${FASHION_MNIST_HOWTO}`,
  );
}

function verifyChecksum(file: IdxFile, expected: string): string {
  const actual = sha256Hex(file.content);
  if (actual !== expected) {
    const form = file.gzipped ? `decompressed from ${file.fileBytes.length} gzip bytes` : `${file.content.length} bytes`;
    throw new DatasetError(
      `${file.path}: SHA-256 mismatch: expected ${expected}, got ${actual} (IDX content, ${form}); ` +
        `the file is corrupt or is not the official Fashion-MNIST file. ${FASHION_MNIST_HOWTO}`,
    );
  }
  return actual;
}

/** Check the image/label pair's shapes and labels, then scale pixels 0..255 → [0, 1]. */
function toSplit(images: IdxFile, labels: IdxFile): Split {
  const [n, h, w] = images.idx.dims;
  if (images.idx.dims.length !== 3 || h !== SIDE || w !== SIDE) {
    throw new DatasetError(`${images.path}: expected image dims [n, ${SIDE}, ${SIDE}], found [${images.idx.dims.join(', ')}]`);
  }
  if (labels.idx.dims.length !== 1 || labels.idx.dims[0] !== n) {
    throw new DatasetError(`${labels.path}: expected label dims [${n}] to match ${images.path}, found [${labels.idx.dims.join(', ')}]`);
  }
  // One flat typed-array pass; measured ~0.2 s for the 47M training pixels, mostly allocation
  // (a 256-entry lookup table was no faster).
  const pixels = images.idx.data;
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = pixels[i] / 255;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels.idx.data[i];
    if (label >= NUM_CLASSES) {
      throw new DatasetError(`${labels.path}: label ${label} at index ${i} is out of range 0..${NUM_CLASSES - 1}`);
    }
    y[i] = label;
  }
  return { x, y, n };
}

export async function loadFashionMnist(options: FashionMnistOptions = {}): Promise<Dataset> {
  const paths = locateFashionMnist(options.searchPath ?? fashionMnistSearchPath(options.dataDir));
  const expected = { ...FASHION_MNIST_SHA256, ...options.expectedSha256 };
  // Read and gunzip the four files concurrently (gunzip runs on the thread pool).
  const files = await Promise.all(KEYS.map((key) => readIdxFile(paths[key])));
  const byKey = Object.fromEntries(KEYS.map((key, i) => [key, files[i]])) as Record<FashionMnistFile, IdxFile>;
  const shas = KEYS.map((key) => verifyChecksum(byKey[key], expected[key]));

  const train = toSplit(byKey.trainImages, byKey.trainLabels);
  const test = toSplit(byKey.testImages, byKey.testLabels);
  const listing = KEYS.map((key, i) => `${byKey[key].path} (content sha256 ${shas[i]})`).join(', ');
  return {
    name: 'fashion-mnist',
    shape: [SIDE, SIDE, 1],
    numClasses: NUM_CLASSES,
    train,
    test,
    checksum: recipeChecksum(shas, { split: 'official' }),
    source:
      `Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, Zalando SE, MIT licence, https://github.com/zalandoresearch/fashion-mnist); ` +
      `official split ${train.n} train / ${test.n} test; files: ${listing}`,
    flipPreservesLabel: true,
  };
}
