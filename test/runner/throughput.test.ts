/**
 * `albench plan`'s speed measurements on tiny data: they return usable numbers and leave no
 * tensor behind (they run in the CLI process before anything else; a leak would not show there).
 * Timings themselves are not asserted (no timed assertions): only that they are finite and ≥ 0.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { measureInferenceThroughput, measurePretrainSpeed, measureQuerySeconds, measureRoundSpeed } from '../../src/runner/throughput.js';
import { SELFSUP_DEFAULTS } from '../../src/selfsup/params.js';
import type { RepresentationConfig } from '../../src/spec/types.js';
import type { SelfsupFeatureProvider } from '../../src/loop/selfsup-features.js';
import { createStrategy } from '../../src/strategies/registry.js';
import { tinyCell } from '../helpers/tiny-cell.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('plan speed measurements', () => {
  const data = tinyDataset({ train: 300, test: 30 });
  const cell = tinyCell({ training: { epochs: 2, batchSize: 8, learningRate: 0.01 } });

  it('round speed, inference and a whole query (committee included) without leaking tensors', async () => {
    await measureRoundSpeed(cell, data); // warm-up of every kernel involved
    await measureQuerySeconds(cell, data, createStrategy('qbc-vote-entropy'), 20);
    const before = tf.memory().numTensors;
    const round = await measureRoundSpeed(cell, data);
    for (const v of [round.fixed, round.perStep, round.perExampleEpoch]) expect(Number.isFinite(v) && v >= 0).toBe(true);
    expect(round.perStep + round.perExampleEpoch).toBeGreaterThan(0);
    expect(await measureInferenceThroughput('mlp', data.shape, data.numClasses)).toBeGreaterThan(0);
    expect(await measureQuerySeconds(cell, data, createStrategy('qbc-vote-entropy'), 20)).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a query on selfsup features is timed on the features handed over, never pretraining an encoder', async () => {
    // Feature-vector data: the default provider would refuse it (it pretrains a CNN on images), so
    // a timing that got here through the default provider fails instead of timing the pretraining.
    let calls = 0;
    const features = { data: data.train.x, rows: data.train.n, dim: data.shape[0] };
    const provider: SelfsupFeatureProvider = async () => {
      calls++;
      return features;
    };
    const cellT = tinyCell({ strategy: 'typiclust', training: { epochs: 2, batchSize: 8, learningRate: 0.01 } });
    expect(await measureQuerySeconds(cellT, data, createStrategy('typiclust'), 20, provider)).toBeGreaterThan(0);
    expect(calls).toBe(1);
  });

  it('pretraining speed from a short run on the pool, with stand-in features of the whole pool', async () => {
    const images = tinyDataset({ train: 40, test: 10, shape: [8, 8, 1] });
    const config = { name: 'selfsup', ...SELFSUP_DEFAULTS, embeddingDim: 4, batchSize: 8 } as RepresentationConfig;
    await measurePretrainSpeed(images, config, false); // warm-up
    const before = tf.memory().numTensors;
    const { speed, features } = await measurePretrainSpeed(images, config, true);
    expect(speed.viewsPerSecond).toBeGreaterThan(0);
    expect(speed.embedRowsPerSecond).toBeGreaterThan(0);
    expect(features).toMatchObject({ rows: 40, dim: 4 });
    expect(features!.data).toHaveLength(160);
    expect((await measurePretrainSpeed(images, config, false)).features).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
  });
});
