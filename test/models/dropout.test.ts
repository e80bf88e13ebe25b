/**
 * Dropout in the zoo (models/seeded-dropout.ts, models/zoo.ts): placed as Gal et al. 2017 place it,
 * active in training only, a fresh seeded mask per training step, reproducible run to run, and
 * reseeded per round so a round's masks do not depend on the model's history.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { predictProbs } from '../../src/models/predict.js';
import { dropoutLayers, SeededDropout, setDropoutStreams } from '../../src/models/seeded-dropout.js';
import { trainModel } from '../../src/models/train.js';
import { createModel } from '../../src/models/zoo.js';
import { createRng } from '../../src/rng.js';
import type { ModelSetting } from '../../src/spec/types.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const classes = (m: ModelSetting, shape: number[]) => {
  const net = createModel({ name: m, inputShape: shape, numClasses: 3 }, createRng(0));
  const out = net.layers.map((l) => (l instanceof SeededDropout ? `Dropout(${l.rate})` : l.getClassName()));
  net.dispose();
  return out;
};

const same = (a: Float32Array, b: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('placement (Gal et al. 2017, §5.1: conv-relu-conv-relu-pool-dropout-dense-relu-dropout-dense)', () => {
  it('cnn: p/2 after the conv stack, p before the logits', () => {
    expect(classes({ name: 'cnn', dropout: 0.5 }, [8, 8, 1])).toEqual(['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Dropout(0.25)', 'Flatten', 'Dense', 'Dropout(0.5)', 'Dense']);
  });
  it('mlp: p after each hidden dense layer', () => {
    expect(classes({ name: 'mlp', dropout: 0.3 }, [4])).toEqual(['Dense', 'Dropout(0.3)', 'Dense', 'Dropout(0.3)', 'Dense']);
  });
  it('resnet18: p between the global average pool and the logits', () => {
    expect(classes({ name: 'resnet18', width: 2, depth: 1, dropout: 0.2 }, [8, 8, 3]).slice(-3)).toEqual(['GlobalAveragePooling2D', 'Dropout(0.2)', 'Dense']);
  });
  it('no dropout parameter, no dropout layer (the architecture of cells from before)', () => {
    expect(classes('cnn', [8, 8, 1])).toEqual(['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense']);
  });
});

describe('SeededDropout', () => {
  const x = () => tf.ones([6, 40]);

  it('is the identity outside training, and the model starts from the weights of the one without dropout', async () => {
    const data = tinyDataset({ shape: [8, 8, 1] });
    const plain = createModel({ name: 'cnn', inputShape: [8, 8, 1], numClasses: 3 }, createRng(3).fork('weights'));
    const dropped = createModel({ name: { name: 'cnn', dropout: 0.5 }, inputShape: [8, 8, 1], numClasses: 3 }, createRng(3).fork('weights'));
    const a = await predictProbs(plain, data.test.x, data.shape, 3);
    const b = await predictProbs(dropped, data.test.x, data.shape, 3);
    expect(same(a, b)).toBe(true);
    plain.dispose();
    dropped.dispose();
  });

  it('draws a fresh mask every training call, the same sequence from the same stream', () => {
    const masks = (stream: string) => {
      const layer = new SeededDropout({ rate: 0.5, stream: createRng(stream) });
      return [0, 1, 2].map(() => tf.tidy(() => (layer.apply(x(), { training: true }) as tf.Tensor).dataSync() as Float32Array));
    };
    const [m0, m1, m2] = masks('a');
    expect(same(m0, m1) || same(m1, m2)).toBe(false);
    const again = masks('a');
    expect(again.every((m, i) => same(m, [m0, m1, m2][i]))).toBe(true);
    expect(same(masks('b')[0], m0)).toBe(false);
    // Inverted dropout: kept units are scaled by 1/(1 − p), so the values are 0 or 2.
    expect(new Set(m0)).toEqual(new Set([0, 2]));
  });

  it('an MC seed gives one mask for the whole batch; training masks are per example', () => {
    const layer = new SeededDropout({ rate: 0.5, stream: createRng('c') });
    layer.setMcSeed(7);
    const mc = tf.tidy(() => (layer.apply(x(), { training: false }) as tf.Tensor).arraySync() as number[][]);
    for (const row of mc) expect(row).toEqual(mc[0]);
    expect(mc[0]).toContain(0);
    layer.setMcSeed(undefined);
    const train = tf.tidy(() => (layer.apply(x(), { training: true }) as tf.Tensor).arraySync() as number[][]);
    expect(train.some((row) => row.join() !== train[0].join())).toBe(true);
  });

  it('setDropoutStreams makes the next masks independent of earlier calls', () => {
    const net = createModel({ name: { name: 'mlp', dropout: 0.5 }, inputShape: [40], numClasses: 3 }, createRng(1));
    const first = dropoutLayers(net)[0];
    const mask = () => tf.tidy(() => (first.apply(x(), { training: true }) as tf.Tensor).dataSync() as Float32Array);
    setDropoutStreams(net, createRng('round').fork('dropout', 1));
    const a = mask();
    mask();
    setDropoutStreams(net, createRng('round').fork('dropout', 1));
    expect(same(mask(), a)).toBe(true);
    net.dispose();
  });
});

describe('training with dropout', () => {
  const data = tinyDataset({ shape: [8, 8, 1], seed: 2 });
  const config = { epochs: 4, batchSize: 16, learningRate: 0.01 };
  async function train(model: ModelSetting, seed: number) {
    const rng = createRng(seed);
    const net = createModel({ name: model, inputShape: data.shape, numClasses: 3 }, rng.fork('weights'));
    try {
      const loss = await trainModel(net, { ...data.train, shape: data.shape, numClasses: 3 }, config, (e) => rng.fork('shuffle', 0, e));
      return { loss, probs: await predictProbs(net, data.test.x, data.shape, 3) };
    } finally {
      net.dispose();
    }
  }

  it('is bitwise reproducible and differs from training without dropout', async () => {
    const a = await train({ name: 'cnn', dropout: 0.5 }, 4);
    const b = await train({ name: 'cnn', dropout: 0.5 }, 4);
    const plain = await train('cnn', 4);
    expect(b.loss).toBe(a.loss);
    expect(same(a.probs, b.probs)).toBe(true);
    expect(same(a.probs, plain.probs)).toBe(false);
  });

  it('leaks no tensors', async () => {
    await train({ name: 'mlp', dropout: 0.5 }, 1);
    const before = tf.memory().numTensors;
    await train({ name: 'mlp', dropout: 0.5 }, 2);
    expect(tf.memory().numTensors).toBe(before);
  });
});
