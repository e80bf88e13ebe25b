/**
 * CIFAR-10 (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images"): 60,000
 * 32×32 colour images in 10 classes, official 50k/10k split, in the *binary version*: five
 * data_batch_N.bin files and test_batch.bin, each 10,000 records of 1 label byte followed by 3,072
 * pixel bytes stored as three 32×32 planes (red, green, blue: CHW). albench models take HWC, so
 * the planes are interleaved on load.
 */
import { readFile } from 'node:fs/promises';
import { recipeChecksum, sha256Hex } from './checksum.js';
import { DatasetError, type Dataset, type Split } from './dataset.js';
import { datasetSearchPath, howToGet, locateFiles } from './locate.js';
import { CIFAR10_SOURCE } from './sources.js';

const SIDE = 32;
const CHANNELS = 3;
const PIXELS = SIDE * SIDE;
const RECORD = 1 + CHANNELS * PIXELS;
const NUM_CLASSES = 10;
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;

export interface Cifar10Options {
  readonly dataDir?: string;
  readonly searchPath?: readonly string[];
  /** Override pinned checksums by file key (tests that write their own small batch files). */
  readonly expectedSha256?: Readonly<Record<string, string>>;
}

/**
 * Decode concatenated binary batches. records: [n, 1 + 3·32·32] bytes →
 * x: [n, 32, 32, 3] floats in [0, 1] (CHW planes interleaved to HWC), y: [n].
 */
export function parseCifarBatches(batches: ReadonlyArray<{ path: string; bytes: Uint8Array }>): Split {
  let n = 0;
  for (const { path, bytes } of batches) {
    if (bytes.length === 0 || bytes.length % RECORD !== 0) {
      throw new DatasetError(
        `${path}: ${bytes.length} bytes is not a whole number of ${RECORD}-byte CIFAR-10 records (1 label byte + ${CHANNELS}×${SIDE}×${SIDE} pixels); the file is truncated or not the binary version`,
      );
    }
    n += bytes.length / RECORD;
  }
  const x = new Float32Array(n * PIXELS * CHANNELS);
  const y = new Int32Array(n);
  let r = 0;
  for (const { path, bytes } of batches) {
    for (let off = 0; off < bytes.length; off += RECORD, r++) {
      const label = bytes[off];
      if (label >= NUM_CLASSES) {
        throw new DatasetError(`${path}: record ${off / RECORD} has label ${label}, expected 0..${NUM_CLASSES - 1}`);
      }
      y[r] = label;
      const out = r * PIXELS * CHANNELS;
      for (let c = 0; c < CHANNELS; c++) {
        const plane = off + 1 + c * PIXELS;
        for (let p = 0; p < PIXELS; p++) x[out + p * CHANNELS + c] = bytes[plane + p] / 255;
      }
    }
  }
  return { x, y, n };
}

export async function loadCifar10(options: Cifar10Options = {}): Promise<Dataset> {
  const source = CIFAR10_SOURCE;
  const { paths } = locateFiles(source, options.searchPath ?? datasetSearchPath(source, options.dataDir));
  // allSettled, then the first failure in file order: the error must not depend on which read wins.
  const settled = await Promise.allSettled(
    source.files.map(async (f) => {
      const path = paths[f.key];
      let bytes: Uint8Array;
      try {
        bytes = await readFile(path);
      } catch (err) {
        throw new DatasetError(`${path}: cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
      const expected = options.expectedSha256?.[f.key] ?? f.contentSha256;
      const sha = sha256Hex(bytes);
      if (sha !== expected) {
        throw new DatasetError(
          `${path}: SHA-256 mismatch: expected ${expected}, got ${sha} (${bytes.length} bytes); the file is corrupt or is not the official CIFAR-10 binary batch. ${howToGet(source)}`,
        );
      }
      return { key: f.key, path, bytes, sha };
    }),
  );
  const failure = settled.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  const read = settled.map((r) => (r as PromiseFulfilledResult<(typeof settled)[number] extends PromiseSettledResult<infer T> ? T : never>).value);
  const train = parseCifarBatches(read.filter((b) => b.key !== 'test_batch'));
  const test = parseCifarBatches(read.filter((b) => b.key === 'test_batch'));
  return {
    name: 'cifar10',
    shape: [SIDE, SIDE, CHANNELS],
    numClasses: NUM_CLASSES,
    train,
    test,
    checksum: recipeChecksum(read.map((b) => b.sha), { split: 'official', layout: 'hwc' }),
    source:
      `CIFAR-10 binary version (Krizhevsky 2009, ${source.homepage}); official split ${train.n} train / ${test.n} test; ` +
      `files: ${read.map((b) => `${b.path} (sha256 ${b.sha})`).join(', ')}`,
    flipPreservesLabel: true,
  };
}
