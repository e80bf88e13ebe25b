import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/data/checksum.js';
import {
  DEBIAN_FASHION_MNIST_DIR,
  FASHION_MNIST_FILES,
  FASHION_MNIST_SHA256,
  fashionMnistSearchPath,
  loadFashionMnist,
  type FashionMnistFile,
} from '../../src/data/fashion-mnist.js';
import { gz, idxBytes, tempDir } from './helpers.js';

const HOWTO = /apt-get install dataset-fashion-mnist.*https:\/\/github\.com\/zalandoresearch\/fashion-mnist/;

/** Tiny Fashion-MNIST in the real format: 5 train and 3 test 28×28 images. */
function tinyFiles(): Record<FashionMnistFile, Buffer> {
  const image = (n: number, seed: number) => Array.from({ length: n * 28 * 28 }, (_, i) => (i * 7 + seed) % 256);
  return {
    trainImages: idxBytes([5, 28, 28], image(5, 1)),
    trainLabels: idxBytes([5], [0, 9, 3, 3, 1]),
    testImages: idxBytes([3, 28, 28], image(3, 2)),
    testLabels: idxBytes([3], [2, 4, 9]),
  };
}

function shas(files: Record<FashionMnistFile, Buffer>): Record<FashionMnistFile, string> {
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, sha256Hex(v)])) as Record<FashionMnistFile, string>;
}

/** Write the files into a fresh directory, optionally gzipped, optionally leaving some out. */
function writeTiny(files = tinyFiles(), opts: { gzip?: boolean; skip?: FashionMnistFile[]; dir?: string } = {}): string {
  const dir = opts.dir ?? tempDir();
  mkdirSync(dir, { recursive: true });
  for (const [key, bytes] of Object.entries(files) as Array<[FashionMnistFile, Buffer]>) {
    if (opts.skip?.includes(key)) continue;
    const name = FASHION_MNIST_FILES[key] + (opts.gzip ? '.gz' : '');
    writeFileSync(join(dir, name), opts.gzip ? gz(bytes) : bytes);
  }
  return dir;
}

describe('fashion-mnist loader on small files in IDX format', () => {
  it('loads raw IDX files: shape, scaling, labels, official split', async () => {
    const files = tinyFiles();
    const dir = writeTiny(files);
    const d = await loadFashionMnist({ searchPath: [dir], expectedSha256: shas(files) });
    expect(d.name).toBe('fashion-mnist');
    expect(d.shape).toEqual([28, 28, 1]);
    expect(d.numClasses).toBe(10);
    expect(d.flipPreservesLabel).toBe(true);
    expect([d.train.n, d.test.n]).toEqual([5, 3]);
    expect(Array.from(d.train.y)).toEqual([0, 9, 3, 3, 1]);
    expect(Array.from(d.test.y)).toEqual([2, 4, 9]);
    expect(d.train.x.length).toBe(5 * 784);
    expect(d.train.x[0]).toBeCloseTo(1 / 255, 7);
    expect(Math.max(...d.train.x)).toBe(1);
    expect(Math.min(...d.train.x)).toBe(0);
    expect(d.source).toContain(join(dir, 'train-images-idx3-ubyte'));
  });

  it('reads .gz files to the same data and checksum (content is what is pinned)', async () => {
    const files = tinyFiles();
    const raw = await loadFashionMnist({ searchPath: [writeTiny(files)], expectedSha256: shas(files) });
    const zipped = await loadFashionMnist({ searchPath: [writeTiny(files, { gzip: true })], expectedSha256: shas(files) });
    expect(zipped.checksum).toBe(raw.checksum);
    expect(zipped.train.x).toEqual(raw.train.x);
  });

  it('finds files under dataDir/fashion-mnist', async () => {
    const files = tinyFiles();
    const root = tempDir();
    writeTiny(files, { dir: join(root, 'fashion-mnist') });
    const d = await loadFashionMnist({ dataDir: root, expectedSha256: shas(files) });
    expect(d.source).toContain(join(root, 'fashion-mnist'));
  });

  it('searches dataDir, $ALBENCH_DATA, ./data/fashion-mnist, then the Debian directory', () => {
    expect(fashionMnistSearchPath('/d', { ALBENCH_DATA: '/e' }, '/cwd')).toEqual([
      '/d',
      '/d/fashion-mnist',
      '/e',
      '/e/fashion-mnist',
      '/cwd/data/fashion-mnist',
      DEBIAN_FASHION_MNIST_DIR,
    ]);
    expect(fashionMnistSearchPath(undefined, {}, '/cwd')).toEqual([resolve('/cwd/data/fashion-mnist'), DEBIAN_FASHION_MNIST_DIR]);
  });

  it('rejects files that do not match the pinned checksums, naming file, both hashes and the fix', async () => {
    const files = tinyFiles();
    const dir = writeTiny(files);
    const load = loadFashionMnist({ searchPath: [dir] });
    const path = join(dir, 'train-images-idx3-ubyte');
    await expect(load).rejects.toThrow(
      `${path}: SHA-256 mismatch: expected ${FASHION_MNIST_SHA256.trainImages}, got ${sha256Hex(files.trainImages)}`,
    );
    await expect(load).rejects.toThrow(HOWTO);
  });

  it('reports a corrupt magic number by file', async () => {
    const files = tinyFiles();
    files.testLabels[2] = 0x0c;
    const dir = writeTiny(files);
    await expect(loadFashionMnist({ searchPath: [dir], expectedSha256: shas(files) })).rejects.toThrow(
      `${join(dir, 't10k-labels-idx1-ubyte')}: IDX dtype 0x0c (int) is not supported`,
    );
    files.testLabels[0] = 0x50;
    const dir2 = writeTiny(files);
    await expect(loadFashionMnist({ searchPath: [dir2], expectedSha256: shas(files) })).rejects.toThrow(
      `${join(dir2, 't10k-labels-idx1-ubyte')}: not an IDX file: magic number 0x50000c01`,
    );
  });

  it('reports a truncated raw file with expected and actual sizes', async () => {
    const files = tinyFiles();
    files.trainImages = files.trainImages.subarray(0, 1000);
    const dir = writeTiny(files);
    await expect(loadFashionMnist({ searchPath: [dir], expectedSha256: shas(files) })).rejects.toThrow(
      `${join(dir, 'train-images-idx3-ubyte')}: IDX file truncated: dims [5, 28, 28] need 3936 bytes, found 1000`,
    );
  });

  it('reports a truncated .gz file by path', async () => {
    const dir = writeTiny(tinyFiles(), { gzip: true });
    const path = join(dir, 'train-images-idx3-ubyte.gz');
    const z = gz(tinyFiles().trainImages);
    writeFileSync(path, z.subarray(0, z.length - 12));
    await expect(loadFashionMnist({ searchPath: [dir] })).rejects.toThrow(`${path}: cannot gunzip`);
  });

  it('reports a missing file by path with the fix', async () => {
    const dir = writeTiny(tinyFiles(), { skip: ['testLabels'] });
    const load = loadFashionMnist({ searchPath: [dir] });
    await expect(load).rejects.toThrow(`Fashion-MNIST is incomplete in ${dir}: missing ${join(dir, 't10k-labels-idx1-ubyte')}(.gz)`);
    await expect(load).rejects.toThrow(HOWTO);
  });

  it('lists the searched directories when nothing is found', async () => {
    const a = tempDir();
    const b = tempDir();
    const load = loadFashionMnist({ searchPath: [a, b] });
    await expect(load).rejects.toThrow(`Fashion-MNIST files not found; searched ${a}, ${b}`);
    await expect(load).rejects.toThrow(HOWTO);
  });

  it('rejects mismatched image/label counts and out-of-range labels', async () => {
    const files = tinyFiles();
    files.trainLabels = idxBytes([4], [0, 1, 2, 3]);
    const dir = writeTiny(files);
    await expect(loadFashionMnist({ searchPath: [dir], expectedSha256: shas(files) })).rejects.toThrow(
      `${join(dir, 'train-labels-idx1-ubyte')}: expected label dims [5]`,
    );
    const files2 = tinyFiles();
    files2.testLabels = idxBytes([3], [2, 10, 9]);
    const dir2 = writeTiny(files2);
    await expect(loadFashionMnist({ searchPath: [dir2], expectedSha256: shas(files2) })).rejects.toThrow(
      /t10k-labels-idx1-ubyte: label 10 at index 1 is out of range 0..9/,
    );
  });
});

const haveDebian = existsSync(DEBIAN_FASHION_MNIST_DIR);
describe.skipIf(!haveDebian)(`real Fashion-MNIST (skipped unless ${DEBIAN_FASHION_MNIST_DIR} exists: apt-get install dataset-fashion-mnist)`, () => {
  it('loads the verified 60k/10k split', async () => {
    const t0 = performance.now();
    const d = await loadFashionMnist({ searchPath: [DEBIAN_FASHION_MNIST_DIR] });
    console.log(`fashion-mnist load: ${(performance.now() - t0).toFixed(0)} ms`);
    expect([d.train.n, d.test.n]).toEqual([60000, 10000]);
    expect(d.train.x.length).toBe(60000 * 784);
    const perClass = new Array(10).fill(0);
    for (const c of d.train.y) perClass[c]++;
    expect(perClass).toEqual(new Array(10).fill(6000));
    let max = 0;
    for (const v of d.test.x) if (v > max) max = v;
    expect(max).toBe(1);
  }, 60_000);
});
