/**
 * MNIST (LeCun, Bottou, Bengio & Haffner 1998): 70,000 28×28 hand-written digits, official 60k/10k
 * split, IDX files. Not bundled; found on the search path or fetched with `albench data fetch mnist`.
 */
import type { Dataset } from './dataset.js';
import { loadIdxFamily, type IdxFamilyOptions } from './mnist-family.js';
import { MNIST_SOURCE } from './sources.js';

export type MnistOptions = IdxFamilyOptions;

export function loadMnist(options: MnistOptions = {}): Promise<Dataset> {
  return loadIdxFamily(MNIST_SOURCE, `MNIST (LeCun et al. 1998, ${MNIST_SOURCE.homepage})`, options);
}
