// The batch-norm kernels (src/backend/batch-norm.ts: JS loops on cpu and wasm, the addon under
// wasm-native) against tfjs's own training-mode batch norm on the cpu backend, the reference:
// tf.moments + tf.batchNorm and their registered gradients (what tfjs-layers' BatchNormalization
// runs), and the KernelBatchNormalization layer against the stock layer. Tolerances are relative
// to the reference's scale: 1e-5 for values, 1e-4 for gradients (tfjs's float32 chain cancels
// large terms in dx; ours sums in double).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
// Registers tfjs's gradients (moments, batchNorm), as in the model code.
import * as tfl from '@tensorflow/tfjs-layers';

import { initBackend } from '../../src/backend/index.js';
import { batchNormTraining } from '../../src/backend/batch-norm.js';
import { nativeKernelsMissing } from '../../src/backend/native-kernels.js';
import { KernelBatchNormalization } from '../../src/models/batch-norm.js';
import { on, randn, relDiff, TOL } from '../helpers/backends.js';

const GRAD_TOL = 1e-4;
const EPS = 1e-5;
const backends = nativeKernelsMissing() === undefined ? (['cpu', 'wasm', 'wasm-native'] as const) : (['cpu', 'wasm'] as const);

/** Inputs with a non-zero mean and a spread per channel, so centring and scaling both matter. */
function inputs(shape: number[]) {
  const c = shape[shape.length - 1];
  const x = randn(shape, 11).map((v, i) => v * (1 + (i % c)) + 3 - (i % c));
  return { x, gamma: randn([c], 12).map((v) => 1 + 0.5 * v), beta: randn([c], 13), w: randn(shape, 14), shape, c };
}

type Inputs = ReturnType<typeof inputs>;

/** y, and the gradients of Σ y·w with respect to x, gamma and beta. */
function run(p: Inputs, kernels: boolean): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor(p.x, p.shape);
    const gamma = tf.tensor1d(p.gamma);
    const beta = tf.tensor1d(p.beta);
    const w = tf.tensor(p.w, p.shape);
    const f = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      if (kernels) {
        const bn = batchNormTraining(xi, g, b, EPS)!;
        tf.dispose([bn.mean, bn.variance]);
        return bn.y;
      }
      const axes = p.shape.slice(0, -1).map((_, i) => i);
      const { mean, variance } = tf.moments(xi, axes);
      return tf.batchNorm(xi, mean, variance, b, g, EPS);
    };
    const y = f(x, gamma, beta);
    const grads = tf.grads((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(xi, g, b), w)))([x, gamma, beta]);
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('batch-norm kernels', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  afterAll(async () => {
    await initBackend('wasm');
  });

  for (const shape of [
    [4, 5, 3, 6],
    [2, 8, 8, 16],
    [9, 7],
  ]) {
    for (const backend of backends) {
      it(`y and the gradients in x, gamma, beta agree with tfjs's ops on cpu (${backend}, [${shape}])`, async () => {
        const p = inputs(shape);
        const expected = await on('cpu', () => run(p, false));
        const actual = await on(backend, () => run(p, true));
        expect(relDiff(actual[0], expected[0])).toBeLessThan(TOL);
        for (let i = 1; i < 4; i++) expect(relDiff(actual[i], expected[i]), ['dx', 'dgamma', 'dbeta'][i - 1]).toBeLessThan(GRAD_TOL);
      });
    }
  }

  for (const backend of backends) {
    it(`is bitwise reproducible and leaks no tensors (${backend})`, async () => {
      const p = inputs([3, 4, 4, 8]);
      const first = await on(backend, () => run(p, true));
      const before = tf.memory().numTensors;
      const second = run(p, true);
      expect(tf.memory().numTensors).toBe(before);
      for (let i = 0; i < first.length; i++) expect(Buffer.from(second[i].buffer).equals(Buffer.from(first[i].buffer))).toBe(true);
    });
  }

  it('returns the biased batch variance and the mean, as tf.moments', async () => {
    await initBackend('cpu');
    tf.tidy(() => {
      // Channel 0: 1, 2, 3, 6 → mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5 (by hand); channel 1 constant.
      const bn = batchNormTraining(tf.tensor2d([1, 5, 2, 5, 3, 5, 6, 5], [4, 2]), tf.ones([2]), tf.zeros([2]), EPS)!;
      expect(Array.from(bn.mean.dataSync())).toEqual([3, 5]);
      expect(Array.from(bn.variance.dataSync())).toEqual([3.5, 0]);
      tf.dispose([bn.mean, bn.variance]);
    });
  });
});

describe('KernelBatchNormalization', () => {
  afterAll(async () => {
    await initBackend('wasm');
  });

  /** Output and moving statistics after one training call, and an inference call's output. */
  function layerRun(make: () => tfl.layers.Layer, p: Inputs): Float32Array[] {
    const layer = make();
    const x = tf.tensor(p.x, p.shape);
    layer.apply(x, { training: false }); // builds
    layer.setWeights([tf.tensor1d(p.gamma), tf.tensor1d(p.beta), tf.fill([p.c], 0.5), tf.fill([p.c], 2)]);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const inference = layer.apply(x, { training: false }) as tf.Tensor;
    const out = [y, inference, ...layer.getWeights().slice(2)].map((t) => t.dataSync() as Float32Array);
    tf.dispose([x, y, inference]);
    layer.dispose();
    return out;
  }

  const args = { momentum: 0.9, epsilon: EPS };
  for (const backend of backends) {
    it(`trains and updates its moving statistics as the stock layer on cpu (${backend})`, async () => {
      const p = inputs([4, 3, 3, 5]);
      const expected = await on('cpu', () => layerRun(() => tfl.layers.batchNormalization(args), p));
      const actual = await on(backend, () => layerRun(() => new KernelBatchNormalization(args), p));
      for (let i = 0; i < expected.length; i++) expect(relDiff(actual[i], expected[i]), ['y', 'inference', 'movingMean', 'movingVariance'][i]).toBeLessThan(TOL);
    });
  }

  it('keeps the class name, so models that look for batch norm find it', () => {
    expect(new KernelBatchNormalization(args).getClassName()).toBe('BatchNormalization');
  });
});
