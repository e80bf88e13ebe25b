import type { Dataset } from '../../src/data/dataset.js';
import { createRng } from '../../src/rng.js';

/**
 * A small separable dataset made in the test: `classes` Gaussian blobs in `shape`-sized inputs.
 * Enough for a model to learn quickly, small enough to keep tests fast.
 */
export function tinyDataset(options: { train?: number; test?: number; classes?: number; shape?: number[]; seed?: number } = {}): Dataset {
  const { train = 60, test = 30, classes = 3, shape = [4], seed = 0 } = options;
  const size = shape.reduce((a, b) => a * b, 1);
  const rng = createRng(`tiny-${seed}`);
  const centers = Array.from({ length: classes }, () => Array.from({ length: size }, () => rng.next() * 4 - 2));
  const split = (n: number) => {
    const x = new Float32Array(n * size);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % classes;
      for (let j = 0; j < size; j++) x[i * size + j] = centers[y[i]][j] + (rng.next() - 0.5) * 0.8;
    }
    return { x, y, n };
  };
  return { name: 'tiny', shape, numClasses: classes, train: split(train), test: split(test), checksum: `tiny-${seed}`, source: 'test', flipPreservesLabel: false };
}
