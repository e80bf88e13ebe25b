import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { evaluatePredictions } from '../../src/models/evaluate.js';
import { predictProbs } from '../../src/models/predict.js';
import { trainModel } from '../../src/models/train.js';
import { createModel } from '../../src/models/zoo.js';
import { createRng } from '../../src/rng.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const training = { epochs: 20, batchSize: 16, learningRate: 0.01 };

async function trainAndPredict(model: 'mlp' | 'cnn' | 'linear', shape: number[], seed: number) {
  const data = tinyDataset({ shape, seed: 1 });
  const rng = createRng(seed);
  const net = createModel({ name: model, inputShape: shape, numClasses: 3 }, rng.fork('weights'));
  try {
    const loss = await trainModel(net, { ...data.train, shape, numClasses: 3 }, training, (e) => rng.fork('shuffle', 0, e));
    const probs = await predictProbs(net, data.test.x, shape, 3);
    return { loss, probs, metrics: evaluatePredictions(probs, data.test.y, 3) };
  } finally {
    net.dispose();
  }
}

describe.each([
  ['mlp', [4]],
  ['cnn', [4, 4, 1]],
  ['linear', [4]],
  ['linear', [2, 2, 1]],
] as const)('%s on %j', (model, shape) => {
  it('learns a separable problem and outputs probabilities', async () => {
    const { probs, metrics } = await trainAndPredict(model, [...shape], 0);
    expect(metrics.accuracy).toBeGreaterThan(0.9);
    for (let i = 0; i < probs.length / 3; i++) expect(probs[i * 3] + probs[i * 3 + 1] + probs[i * 3 + 2]).toBeCloseTo(1, 5);
  });

  it('is bitwise deterministic for the same seed, and differs for another', async () => {
    const a = await trainAndPredict(model, [...shape], 5);
    const b = await trainAndPredict(model, [...shape], 5);
    const c = await trainAndPredict(model, [...shape], 6);
    expect(Buffer.from(b.probs.buffer).equals(Buffer.from(a.probs.buffer))).toBe(true);
    expect(b.loss).toBe(a.loss);
    expect(Buffer.from(c.probs.buffer).equals(Buffer.from(a.probs.buffer))).toBe(false);
  });

  it('leaks no tensors across train and predict', async () => {
    await trainAndPredict(model, [...shape], 1); // warm-up: kernels and backend caches
    const before = tf.memory().numTensors;
    await trainAndPredict(model, [...shape], 2);
    expect(tf.memory().numTensors).toBe(before);
  });
});

it('predictProbs scores only the requested rows, in order, across batch boundaries', async () => {
  const data = tinyDataset({ train: 600, shape: [4] });
  const net = createModel({ name: 'mlp', inputShape: [4], numClasses: 3 }, createRng(0));
  try {
    const all = await predictProbs(net, data.train.x, [4], 3);
    const rows = Int32Array.from([599, 0, 513, 7]);
    const some = await predictProbs(net, data.train.x, [4], 3, rows);
    rows.forEach((r, i) => expect(Array.from(some.subarray(i * 3, i * 3 + 3))).toEqual(Array.from(all.subarray(r * 3, r * 3 + 3))));
  } finally {
    net.dispose();
  }
});

it('cnn refuses flat data with a message naming the shape', () => {
  expect(() => createModel({ name: 'cnn', inputShape: [64], numClasses: 10 }, createRng(0))).toThrow(/\[64\]/);
});
