/**
 * `albench plan`'s speed measurements on tiny data: they return usable numbers and leave no
 * tensor behind (they run in the CLI process before anything else; a leak would not show there).
 * Timings themselves are not asserted (no timed assertions): only that they are finite and ≥ 0.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { measureInferenceThroughput, measureQuerySeconds, measureRoundSpeed } from '../../src/runner/throughput.js';
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
});
