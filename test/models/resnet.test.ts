/**
 * resnet18 (models/resnet.ts): the CIFAR ResNet-18's size, batch norm that learns statistics in
 * training and uses them frozen everywhere else, and training on every backend albench offers.
 *
 * Expected parameter counts come from PyTorch (`scripts/torch_resnet_reference.py --count`, the kuangliu/pytorch-cifar
 * layout): 11,173,962 parameters and 9,600 running-statistic values for width 64, depth 2, 10
 * classes; 19,902 and 360 for width 4, depth 1.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { predictFeatures } from '../../src/models/embeddings.js';
import { mcDropoutProbs } from '../../src/models/mc-dropout.js';
import { predictProbs } from '../../src/models/predict.js';
import { trainModel } from '../../src/models/train.js';
import { createModel } from '../../src/models/zoo.js';
import { createRng } from '../../src/rng.js';
import type { ModelSetting } from '../../src/spec/types.js';
import { relDiff } from '../helpers/backends.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const count = (weights: readonly tfl.LayerVariable[]) => weights.reduce((a, w) => a + w.shape.reduce<number>((x, y) => x * (y ?? 1), 1), 0);
const tiny: ModelSetting = { name: 'resnet18', width: 4, depth: 1 };
const data = tinyDataset({ train: 48, test: 16, shape: [8, 8, 3], seed: 3 });
const training = { epochs: 2, batchSize: 16, learningRate: 0.01 };
const make = (model: ModelSetting = tiny, seed = 0, shape = data.shape) => createModel({ name: model, inputShape: shape, numClasses: 10 }, createRng(seed).fork('weights'));
const train = (net: tfl.LayersModel, config = training) => trainModel(net, { ...data.train, shape: data.shape, numClasses: 10 }, config, (e) => createRng(0).fork('shuffle', 0, e));
const stats = (net: tfl.LayersModel) => net.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));

afterAll(async () => {
  await initBackend('wasm');
});

describe('resnet18', () => {
  it('has the parameters of PyTorch CIFAR ResNet-18, and of the small variant', async () => {
    await initBackend('wasm');
    const full = make({ name: 'resnet18' }, 0, [32, 32, 3]);
    expect(count(full.trainableWeights)).toBe(11_173_962);
    expect(count(full.nonTrainableWeights)).toBe(9_600);
    full.dispose();
    const small = make(tiny, 0, [32, 32, 3]);
    expect(count(small.trainableWeights)).toBe(19_902);
    expect(count(small.nonTrainableWeights)).toBe(360);
    // Three stride-2 stages: 32 → 4 before the global pool; the embedding is the pooled 8w channels.
    expect(small.layers.filter((l) => l.getClassName() === 'Add').map((l) => (l.outputShape as number[]).slice(1))).toEqual([
      [32, 32, 4],
      [16, 16, 8],
      [8, 8, 16],
      [4, 4, 32],
    ]);
    small.dispose();
  });

  it('updates batch-norm statistics in training only; prediction, embeddings and MC passes use them frozen', async () => {
    await initBackend('wasm');
    const net = make({ ...tiny, dropout: 0.5 });
    const initial = stats(net);
    await train(net);
    const trained = stats(net);
    expect(trained).not.toEqual(initial);
    const rows = Int32Array.from({ length: 16 }, (_, i) => i);
    const probs = await predictProbs(net, data.test.x, data.shape, 10);
    const features = await predictFeatures(net, data.test.x, data.shape, 10, rows);
    const mc = await mcDropoutProbs(net, data.test.x, data.shape, 10, rows, 3, createRng('mc'));
    expect(stats(net)).toEqual(trained);
    expect(features.dim).toBe(32);
    expect(Array.from(features.probs)).toEqual(Array.from(probs));
    // Frozen statistics: a row's outputs do not depend on the other rows of its batch.
    const alone = await predictProbs(net, data.test.x, data.shape, 10, Int32Array.from([5]));
    expect(Array.from(alone)).toEqual(Array.from(probs.subarray(50, 60)));
    const mcAlone = await mcDropoutProbs(net, data.test.x, data.shape, 10, Int32Array.from([5]), 3, createRng('mc'));
    for (let t = 0; t < 3; t++) expect(Array.from(mcAlone.subarray(t * 10, t * 10 + 10))).toEqual(Array.from(mc.subarray(t * 160 + 50, t * 160 + 60)));
    net.dispose();
  });

  it('trains and predicts without leaking tensors', async () => {
    await initBackend('wasm');
    const cycle = async () => {
      const net = make({ ...tiny, dropout: 0.5 });
      await train(net);
      await predictFeatures(net, data.test.x, data.shape, 10);
      await mcDropoutProbs(net, data.test.x, data.shape, 10, Int32Array.from([0, 1, 2]), 2, createRng('mc'));
      net.dispose();
    };
    await cycle();
    const before = tf.memory().numTensors;
    await cycle();
    expect(tf.memory().numTensors).toBe(before);
  });

  // Every kernel of a ResNet training step (stride-2 conv and its gradients, batch norm and its
  // gradient through moments, add, relu, global average pool): the loss gradients and the updated
  // running statistics on wasm and wasm-native must match the pure-JS cpu reference (gradients,
  // not trained weights: Adam's m/√v turns float noise in near-zero gradients into whole steps).
  it('computes the same training step on cpu, wasm and wasm-native, and trains on each', async () => {
    const flat = (ts: tf.Tensor[]) => Float32Array.from(ts.flatMap((t) => Array.from(t.dataSync())));
    const run = async (backend: 'cpu' | 'wasm' | 'wasm-native') => {
      expect(await initBackend(backend)).toBe(backend);
      const net = make(tiny, 1);
      const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.tidy(() => {
        const x = tf.tensor(data.train.x.subarray(0, 16 * 192), [16, 8, 8, 3]);
        const y = tf.oneHot(tf.tensor1d(data.train.y.subarray(0, 16), 'int32'), 10);
        return tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, net.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars);
      });
      const out = { loss: value.dataSync()[0], grads: flat(vars.map((v) => grads[v.name])), stats: flat(net.nonTrainableWeights.map((w) => w.read())) };
      tf.dispose([value, ...Object.values(grads)]);
      const loss = await train(net);
      net.dispose();
      return { ...out, trainedLoss: loss };
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    const native = await run('wasm-native');
    for (const other of [wasm, native]) {
      expect(other.loss).toBeCloseTo(cpu.loss, 5);
      expect(relDiff(other.grads, cpu.grads)).toBeLessThan(1e-4);
      expect(relDiff(other.stats, cpu.stats)).toBeLessThan(1e-5);
      expect(Number.isFinite(other.trainedLoss)).toBe(true);
    }
    expect(Math.max(...cpu.grads.map(Math.abs))).toBeGreaterThan(1e-3);
  }, 60_000);
});
