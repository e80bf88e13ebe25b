// The fused Adam kernel against tfjs's own Adam (tfjs-core/src/optimizers/adam_optimizer.ts) on the
// pure-JS cpu backend, the reference implementation, and wasm against cpu.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';

import { initBackend } from '../../src/backend/index.js';
import { FUSED_ADAM, FusedAdamOptimizer } from '../../src/backend/fused-adam.js';

function randn(shape: number[], seed: number): Float32Array {
  return tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync() as Float32Array);
}

const SHAPES = [[7, 5], [5], [3, 3, 2, 4]];
const STEPS = 6;
let run = 0; // variable names must be unique in the engine

/**
 * Runs STEPS optimizer steps on fixed variables with a gradient that depends on the variables
 * (∇ of Σ sin(w)·c), so a wrong update shows in later steps' gradients too. Returns final values.
 */
function optimize(make: () => tf.Optimizer): Float32Array[] {
  // tidy frees the initial tensors; variables outlive it.
  const vars = tf.tidy(() => SHAPES.map((s, i) => tf.variable(tf.tensor(randn(s, 20 + i), s), true, `adam-test-${run++}-${i}`)));
  const coef = SHAPES.map((s, i) => tf.tensor(randn(s, 40 + i), s));
  const opt = make();
  for (let step = 0; step < STEPS; step++) {
    tf.tidy(() => {
      opt.minimize(() => tf.addN(vars.map((v, i) => tf.sum(tf.mul(tf.sin(v), coef[i])))) as tf.Scalar, false, vars);
    });
  }
  const out = vars.map((v) => v.dataSync() as Float32Array);
  opt.dispose();
  tf.dispose([...vars, ...coef]);
  return out;
}

function maxRel(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((arr, k) => arr.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[k][i]) / Math.max(1, Math.abs(b[k][i]))))));
  return worst;
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('FusedAdamOptimizer', () => {
  it('registers its kernel on wasm and cpu', () => {
    new FusedAdamOptimizer(0.01).dispose();
    expect(tf.getKernel(FUSED_ADAM, 'wasm')).toBeDefined();
    expect(tf.getKernel(FUSED_ADAM, 'cpu')).toBeDefined();
  });

  it('agrees with tf.train.adam on cpu', async () => {
    await initBackend('cpu');
    const reference = optimize(() => tf.train.adam(0.05));
    const fused = optimize(() => new FusedAdamOptimizer(0.05));
    // tfjs rounds every intermediate to float32; the fused loop rounds once per value.
    expect(maxRel(fused, reference)).toBeLessThan(1e-5);
    // The updates did move the variables: the comparison is not between two starting points.
    const start = SHAPES.map((s, i) => randn(s, 20 + i));
    expect(maxRel(fused, start)).toBeGreaterThan(0.1);
    await initBackend('wasm');
  });

  it('gives the same values on wasm as on cpu, and as tf.train.adam on wasm', async () => {
    await initBackend('cpu');
    const cpu = optimize(() => new FusedAdamOptimizer(0.05));
    await initBackend('wasm');
    const wasm = optimize(() => new FusedAdamOptimizer(0.05));
    const stock = optimize(() => tf.train.adam(0.05));
    // Same loop on the same float32 inputs; only the backends' sin/sum kernels may differ.
    expect(maxRel(wasm, cpu)).toBeLessThan(1e-5);
    expect(maxRel(wasm, stock)).toBeLessThan(1e-5);
  });

  it('falls back to tf ops where the kernel is not registered, with the same values', async () => {
    const fused = optimize(() => new FusedAdamOptimizer(0.05));
    const saved = tf.getKernel(FUSED_ADAM, 'wasm');
    tf.unregisterKernel(FUSED_ADAM, 'wasm');
    try {
      // The constructor re-registers; take the kernel away after it ran.
      const opsOnly = optimize(() => {
        const opt = new FusedAdamOptimizer(0.05);
        tf.unregisterKernel(FUSED_ADAM, 'wasm');
        return opt;
      });
      expect(maxRel(opsOnly, fused)).toBeLessThan(1e-5);
    } finally {
      if (tf.getKernel(FUSED_ADAM, 'wasm') === undefined) tf.registerKernel(saved);
    }
  });

  it('is deterministic: same inputs, bitwise-identical results', () => {
    const a = optimize(() => new FusedAdamOptimizer(0.05));
    const b = optimize(() => new FusedAdamOptimizer(0.05));
    a.forEach((arr, k) => expect(Buffer.from(arr.buffer).equals(Buffer.from(b[k].buffer))).toBe(true));
  });

  it('leaks no tensors and no wasm buffers', () => {
    optimize(() => new FusedAdamOptimizer(0.05)); // warm-up
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    optimize(() => new FusedAdamOptimizer(0.05));
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
  });

  it('rejects mismatched inputs naming the input and the expected shape', () => {
    new FusedAdamOptimizer(0.01).dispose();
    const run = () =>
      tf.tidy(() =>
        tf.engine().runKernel(FUSED_ADAM, { param: tf.zeros([3]), grad: tf.zeros([4]), m: tf.zeros([3]), v: tf.zeros([3]) }, {
          learningRate: 0.1,
          beta1: 0.9,
          beta2: 0.999,
          epsilon: 1e-7,
          correction1: 0.1,
          correction2: 0.001,
        }),
      );
    expect(run).toThrow(/input 'grad' has shape \[4\], expected the parameter's \[3\]/);
  });
});
