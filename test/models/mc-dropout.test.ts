/**
 * MC dropout on the model's own dropout layers (models/mc-dropout.ts). The reference pass is
 * computed by hand from the MLP's weights: h = relu(x W1 + b1) ⊙ m1, h' = relu(h W2 + b2) ⊙ m2,
 * softmax(h' W3 + b3), with masks m = floor(u + (1 − p)) / (1 − p) of one uniform draw u per unit
 * (shared by all rows) from the pass's seeds, drawn in pass-major, layer-minor order.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { mcDropoutProbs } from '../../src/models/mc-dropout.js';
import { predictProbs } from '../../src/models/predict.js';
import { trainModel } from '../../src/models/train.js';
import { createModel } from '../../src/models/zoo.js';
import { createRng } from '../../src/rng.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const data = tinyDataset({ train: 600, test: 10, shape: [4], seed: 7 });
const all = Int32Array.from({ length: 600 }, (_, i) => i);

async function trained(p = 0.5) {
  const rng = createRng('mc');
  const net = createModel({ name: { name: 'mlp', dropout: p }, inputShape: [4], numClasses: 3 }, rng.fork('weights'));
  await trainModel(net, { ...data.train, n: 60, x: data.train.x.subarray(0, 240), y: data.train.y.subarray(0, 60), shape: [4], numClasses: 3 }, { epochs: 3, batchSize: 16, learningRate: 0.01 }, (e) => rng.fork('shuffle', e));
  return net;
}

describe('mcDropoutProbs', () => {
  it('samples exactly the dropout layers, one mask per pass for the whole pool (hand-computed reference)', async () => {
    const net = await trained(0.5);
    const passes = 3;
    const rows = Int32Array.from([0, 1, 2, 3, 4]);
    const mc = await mcDropoutProbs(net, data.train.x, [4], 3, rows, passes, createRng('passes'));
    const [w1, b1, w2, b2, w3, b3] = net.getWeights();
    const seeds = createRng('passes');
    for (let t = 0; t < passes; t++) {
      const [s1, s2] = [seeds.tfSeed(), seeds.tfSeed()];
      const expected = tf.tidy(() => {
        const mask = (units: number, seed: number) => tf.div(tf.floor(tf.add(tf.randomUniform([1, units], 0, 1, 'float32', seed), 0.5)), 0.5);
        const x = tf.tensor2d(data.train.x.subarray(0, 20), [5, 4]);
        const h1 = tf.mul(tf.relu(tf.add(tf.matMul(x, w1), b1)), mask(256, s1));
        const h2 = tf.mul(tf.relu(tf.add(tf.matMul(h1, w2), b2)), mask(128, s2));
        return tf.softmax(tf.add(tf.matMul(h2, w3), b3)).dataSync() as Float32Array;
      });
      mc.subarray(t * 15, (t + 1) * 15).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    }
    net.dispose();
  });

  it('gives a row the same passes whatever else is in the pool (masks do not depend on batches)', async () => {
    const net = await trained();
    const big = await mcDropoutProbs(net, data.train.x, [4], 3, all, 4, createRng('r'));
    const few = await mcDropoutProbs(net, data.train.x, [4], 3, Int32Array.from([3, 550]), 4, createRng('r'));
    for (let t = 0; t < 4; t++) {
      expect(Array.from(few.subarray(t * 6, t * 6 + 3))).toEqual(Array.from(big.subarray(t * 1800 + 9, t * 1800 + 12)));
      expect(Array.from(few.subarray(t * 6 + 3, t * 6 + 6))).toEqual(Array.from(big.subarray(t * 1800 + 1650, t * 1800 + 1653)));
    }
    net.dispose();
  });

  it('is seeded: same stream, same passes; passes differ from each other and from the plain prediction', async () => {
    const net = await trained();
    const rows = Int32Array.from([0, 1, 2, 3]);
    const a = await mcDropoutProbs(net, data.train.x, [4], 3, rows, 3, createRng('s'));
    const b = await mcDropoutProbs(net, data.train.x, [4], 3, rows, 3, createRng('s'));
    const c = await mcDropoutProbs(net, data.train.x, [4], 3, rows, 3, createRng('t'));
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
    expect(Array.from(a.subarray(0, 12))).not.toEqual(Array.from(a.subarray(12, 24)));
    const plain = await predictProbs(net, data.train.x, [4], 3, rows);
    expect(Array.from(a.subarray(0, 12))).not.toEqual(Array.from(plain));
    // MC mode is switched off afterwards: prediction is deterministic again.
    expect(Array.from(await predictProbs(net, data.train.x, [4], 3, rows))).toEqual(Array.from(plain));
    net.dispose();
  });

  it('refuses a model without dropout, naming the fix', async () => {
    const net = createModel({ name: 'mlp', inputShape: [4], numClasses: 3 }, createRng(0));
    await expect(mcDropoutProbs(net, data.train.x, [4], 3, all, 2, createRng(0))).rejects.toThrow(/has none; give the cell a model with dropout, e.g\. model: \{ name: cnn, dropout: 0\.5 \}/);
    net.dispose();
  });

  it('leaks no tensors', async () => {
    const net = await trained();
    await mcDropoutProbs(net, data.train.x, [4], 3, all, 2, createRng(0));
    const before = tf.memory().numTensors;
    await mcDropoutProbs(net, data.train.x, [4], 3, all, 2, createRng(1));
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});
