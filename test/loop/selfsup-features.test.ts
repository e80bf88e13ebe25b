/**
 * The `selfsupEmbeddings` need (src/loop/selfsup-features.ts) on tiny images: computed by the
 * representation axis' SimCLR encoder through its cache (once per cache directory), handed to
 * TypiClust/ProbCover through buildSelectionContext, and the selections of a run differ from the
 * raw-pixel variants'. Pretraining is kept to 1 epoch of 24 4×4 images.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { runCell } from '../../src/loop/run-cell.js';
import { selfsupFeatureProvider } from '../../src/loop/selfsup-features.js';
import { selfsupDataset } from '../../src/selfsup/representation.js';
import { backendName } from '../../src/backend/index.js';
import { SELFSUP_DEFAULTS } from '../../src/selfsup/params.js';
import type { RepresentationConfig } from '../../src/spec/types.js';
import { tinyCell } from '../helpers/tiny-cell.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const data = tinyDataset({ train: 24, test: 6, classes: 3, shape: [4, 4, 1], seed: 2 });
const ENCODER = { encoderEpochs: 1, encoderBatchSize: 8, encoderEmbeddingDim: 4 };
const SETTINGS = { epochs: 1, batchSize: 8, embeddingDim: 4 };
let cacheDir: string;

beforeAll(async () => {
  await initBackend('wasm');
  cacheDir = mkdtempSync(join(tmpdir(), 'albench-selfsup-features-'));
});
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('selfsupEmbeddings', () => {
  const base = { budget: 12, batchSize: 3, initialSize: 6 };
  const cell = tinyCell({ ...base, strategy: 'typiclust', strategyParams: ENCODER });

  it("are the representation axis' frozen embeddings, from one cache file", async () => {
    const provide = selfsupFeatureProvider(cacheDir);
    const a = await provide(cell, data, SETTINGS);
    expect(a.rows).toBe(data.train.n);
    expect(a.dim).toBe(4);
    // The same encoder as `representation: selfsup` with these settings, bit for bit.
    const config = { name: 'selfsup', ...SELFSUP_DEFAULTS, ...SETTINGS } as RepresentationConfig;
    const { dataset } = await selfsupDataset(data, cell.dataset, config, cell.seed, { cacheDir, backend: backendName() });
    expect(Array.from(a.data)).toEqual(Array.from(dataset.train.x));
    expect(readdirSync(join(cacheDir, 'selfsup')).filter((f) => f.endsWith('.albssl'))).toHaveLength(1);
    // A second call (another round) is the same array and leaks no tensor.
    const before = tf.memory().numTensors;
    expect(await provide(cell, data, SETTINGS)).toBe(a);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuse feature-vector data, naming the shape and the variants that work', async () => {
    const flat = tinyDataset({ train: 12, test: 3, shape: [4] });
    await expect(selfsupFeatureProvider(cacheDir)(cell, flat, SETTINGS)).rejects.toThrow(/need image data shaped \[height, width, channels\]; dataset tiny has shape \[4\]\. Allowed for feature vectors: the -raw or -model variant \(e\.g\. typiclust-raw\)/);
  });

  it('drive TypiClust and ProbCover in a run: their picks differ from the raw-pixel variants', async () => {
    const options = { selfsup: selfsupFeatureProvider(cacheDir) };
    for (const [name, raw] of [
      ['typiclust', 'typiclust-raw'],
      ['probcover', 'probcover-raw'],
    ] as const) {
      const sup = await runCell(tinyCell({ ...base, strategy: name, strategyParams: ENCODER }), data, () => {}, options);
      const plain = await runCell(tinyCell({ ...base, strategy: raw }), data, () => {}, options);
      expect(sup.initial).toEqual(plain.initial);
      expect(sup.rounds.map((r) => r.selected)).not.toEqual(plain.rounds.map((r) => r.selected));
    }
  }, 60_000);
});
