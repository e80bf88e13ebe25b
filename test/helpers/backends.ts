// Cross-backend comparison helpers for kernel tests: run the same computation on two backends and
// measure how far apart the results are. Only plain arrays cross backends.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

import { initBackend, type BackendChoice } from '../../src/backend/index.js';

/** Seeded N(0,1) values. The seeded generator lives in tfjs-core's JS, so no backend shapes it. */
export function randn(shape: number[], seed: number): Float32Array {
  return tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync() as Float32Array);
}

/** Runs fn on the named backend; results must be plain arrays so nothing crosses backends. */
export async function on<T>(name: Exclude<BackendChoice, 'auto'>, fn: () => T): Promise<T> {
  await initBackend(name);
  return fn();
}

/** max |a − b| relative to the reference's scale, so big sums get a proportionate tolerance. */
export function relDiff(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / scale;
}

/** The tolerance the kernel tests hold every backend to, relative to the reference's scale. */
export const TOL = 1e-5;
