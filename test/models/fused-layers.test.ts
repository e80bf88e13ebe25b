// The zoo's relu layers stay one fused kernel while training on wasm-native (src/models/fused-layers.ts).
// The reference is tfjs's own layers, which train unfused: the same models, seeds, data and Adam
// steps must end with bitwise-identical weights, and the fused step must really skip the unfused
// kernels (else the comparison would pass by running the same code twice).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { initBackend } from '../../src/backend/index.js';
import { FusedAdamOptimizer } from '../../src/backend/fused-adam.js';
import { nativeKernelsMissing } from '../../src/backend/native-kernels.js';
import { fusedConv2d, fusedDense } from '../../src/models/fused-layers.js';
import { randn, relDiff, TOL } from '../helpers/backends.js';

type Factories = { dense: typeof tfl.layers.dense; conv2d: typeof tfl.layers.conv2d };
const STOCK: Factories = { dense: tfl.layers.dense, conv2d: tfl.layers.conv2d };
const FUSED = { dense: fusedDense, conv2d: fusedConv2d } as unknown as Factories;

const init = (seed: number) => ({ kernelInitializer: tfl.initializers.glorotUniform({ seed }), biasInitializer: tfl.initializers.randomNormal({ seed: seed + 100, stddev: 0.1 }) });

/** The zoo's cnn shape on small images: 'same' and 'valid' padding, a stride of 2, two relu dense layers. */
function cnn(layers: Factories): tfl.Sequential {
  return tfl.sequential({
    layers: [
      layers.conv2d({ inputShape: [10, 10, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', ...init(1) }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      layers.conv2d({ filters: 12, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', ...init(2) }),
      tfl.layers.flatten(),
      layers.dense({ units: 16, activation: 'relu', ...init(3) }),
      layers.dense({ units: 7, activation: 'relu', ...init(4) }),
      layers.dense({ units: 5, ...init(5) }),
    ],
  });
}

function mlp(layers: Factories): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [10, 10, 1] }),
      layers.dense({ units: 32, activation: 'relu', ...init(6) }),
      layers.dense({ units: 24, activation: 'relu', ...init(7) }),
      layers.dense({ units: 5, ...init(8) }),
    ],
  });
}

/** Trains a few Adam steps (the harness's step: src/models/train.ts) and returns every weight and loss. */
function train(model: tfl.Sequential): { weights: number[][]; losses: number[] } {
  const optimizer = new FusedAdamOptimizer(0.05);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const losses: number[] = [];
  for (let step = 0; step < 4; step++) {
    const loss = tf.tidy(() => {
      const x = tf.tensor4d(randn([6, 10, 10, 1], 10 + step), [6, 10, 10, 1]);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, step % 5], 'int32'), 5);
      return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor), true, variables)!;
    });
    losses.push(loss.dataSync()[0]);
    loss.dispose();
  }
  optimizer.dispose();
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return { weights, losses };
}

/** The kernels one training step runs. */
async function kernelsOfStep(model: tfl.Sequential): Promise<string[]> {
  const optimizer = new FusedAdamOptimizer(0.01);
  const info = await tf.profile(() => {
    tf.tidy(() => {
      const x = tf.tensor4d(randn([2, 10, 10, 1], 3), [2, 10, 10, 1]);
      optimizer.minimize(() => tf.mean(tf.square(model.apply(x, { training: true }) as tf.Tensor)));
    });
  });
  optimizer.dispose();
  model.dispose();
  return info.kernels.map((k) => k.name);
}

const missing = nativeKernelsMissing();

describe.skipIf(missing !== undefined)(`fused relu layers${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    await initBackend('wasm-native');
  });
  afterAll(async () => {
    await initBackend('wasm');
  });

  for (const [name, build] of [['cnn', cnn], ['mlp', mlp]] as const) {
    it(`${name}: training gives tfjs's unfused layers' weights and losses bit for bit`, () => {
      const stock = train(build(STOCK));
      const fused = train(build(FUSED));
      expect(fused.losses).toEqual(stock.losses);
      expect(fused.weights).toEqual(stock.weights);
      expect(stock.losses[3]).not.toBe(stock.losses[0]); // it did train
    });
  }

  // The fused kernels and their gradients (AlbenchReluGradBias among them) against tfjs's cpu
  // backend, the reference implementation, where the layers run tfjs's own unfused code.
  it('cnn: training on wasm-native agrees with the cpu backend', async () => {
    const native = train(cnn(FUSED));
    await initBackend('cpu');
    const cpu = train(cnn(FUSED));
    await initBackend('wasm-native');
    native.weights.forEach((w, i) => expect(relDiff(Float32Array.from(w), Float32Array.from(cpu.weights[i]))).toBeLessThan(TOL));
  });

  it('a fused training step runs no separate bias add or relu (the fused kernels and their gradients)', async () => {
    const stock = await kernelsOfStep(cnn(STOCK));
    const fused = await kernelsOfStep(cnn(FUSED));
    expect(stock).toContain('Relu');
    expect(fused).not.toContain('Relu');
    expect(fused).not.toContain('Step'); // the relu gradient and bias sum are one native pass (AlbenchReluGradBias)
    expect(fused.filter((k) => k === 'FusedConv2D')).toHaveLength(2);
    expect(fused.filter((k) => k === '_FusedMatMul')).toHaveLength(3);
    expect(fused.length).toBeLessThan(stock.length);
  });

  it('inference and other backends use the stock layer (same outputs), and nothing leaks', async () => {
    const x = randn([3, 10, 10, 1], 4);
    const predict = (factories: Factories) =>
      tf.tidy(() => {
        const model = cnn(factories);
        const out = Array.from((model.predict(tf.tensor4d(x, [3, 10, 10, 1])) as tf.Tensor).dataSync());
        model.dispose();
        return out;
      });
    expect(predict(FUSED)).toEqual(predict(STOCK));
    await initBackend('wasm');
    const onWasm = await kernelsOfStep(cnn(FUSED));
    expect(onWasm).toContain('Relu');
    await initBackend('wasm-native');
    const before = tf.memory().numTensors;
    train(cnn(FUSED));
    expect(tf.memory().numTensors).toBe(before);
  });
});
