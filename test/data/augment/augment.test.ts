import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/index.js';
import { AugmentationError, augmentBatch, checkAugmentable, valueRange, type AugmentContext } from '../../../src/data/augment/index.js';
import { createRng } from '../../../src/rng.js';
import type { AugmentationSetting } from '../../../src/spec/types.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const STANDARD: AugmentationSetting = { name: 'standard', translate: 0.125 };
const STRONG: AugmentationSetting = { name: 'strong', translate: 0.125, n: 2, m: 9, cutout: 0.5 };
const H = 8;
const W = 8;

/** b images, each different and left–right asymmetric, values in [0, 1]. */
function images(b: number): Float32Array {
  const rng = createRng('images');
  return Float32Array.from({ length: b * H * W }, (_, i) => (i % W < 3 ? rng.next() : rng.next() * 0.3));
}

const ctx = (flip: boolean, lo = 0, hi = 1): AugmentContext => ({ dataset: 'test', shape: [H, W, 1], flipPreservesLabel: flip, lo, hi });

async function run(setting: AugmentationSetting, x: Float32Array, b: number, c: AugmentContext, seed: string): Promise<Float32Array> {
  const out = tf.tidy(() => augmentBatch(tf.tensor4d(x, [b, H, W, 1]), setting, c, createRng(seed)));
  expect(out.shape).toEqual([b, H, W, 1]);
  const data = (await out.data()) as Float32Array;
  out.dispose();
  return data;
}

const pixel = (x: Float32Array, i: number, r: number, q: number) => (r < 0 || r >= H || q < 0 || q >= W ? 0 : x[i * H * W + r * W + q]);

describe('augmentBatch', () => {
  it.each([['standard', STANDARD], ['strong', STRONG]] as const)('%s: the same seed gives the same pixels; another seed other pixels', async (_, setting) => {
    const x = images(16);
    const a = await run(setting, x, 16, ctx(true), 'a');
    expect(await run(setting, x, 16, ctx(true), 'a')).toEqual(a);
    expect(await run(setting, x, 16, ctx(true), 'b')).not.toEqual(a);
    expect(a).not.toEqual(x);
  });

  it('none returns the input untouched', async () => {
    const x = images(4);
    expect(await run('none', x, 4, ctx(true), 'a')).toEqual(x);
  });

  it('standard is an integer pad+crop shift of at most 1 px on 8×8 (12.5 %), zero-filled, and never a flip when flips change the label', async () => {
    const b = 64;
    const x = images(b);
    const out = await run(STANDARD, x, b, ctx(false), 'shift');
    let shifted = 0;
    for (let i = 0; i < b; i++) {
      const match = [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => [dx, dy])).find(([dx, dy]) => {
        for (let r = 0; r < H; r++) for (let q = 0; q < W; q++) if (out[i * H * W + r * W + q] !== pixel(x, i, r - dy, q - dx)) return false;
        return true;
      });
      expect(match, `image ${i} is not a shift of its input`).toBeDefined();
      if (match![0] !== 0 || match![1] !== 0) shifted++;
    }
    expect(shifted).toBeGreaterThan(b / 2);
  });

  it('flips only where the dataset declares it label-preserving', async () => {
    const b = 64;
    const x = images(b);
    const noShift: AugmentationSetting = { name: 'standard', translate: 0 };
    // Not label-preserving (digits): nothing but the identity, whatever the stream draws.
    expect(await run(noShift, x, b, ctx(false), 'flip')).toEqual(x);
    // Label-preserving (fashion-mnist): each image is itself or its mirror, and both occur.
    const out = await run(noShift, x, b, ctx(true), 'flip');
    let flipped = 0;
    for (let i = 0; i < b; i++) {
      const img = out.subarray(i * H * W, (i + 1) * H * W);
      const mirror = Float32Array.from({ length: H * W }, (_, k) => pixel(x, i, Math.floor(k / W), W - 1 - (k % W)));
      const same = x.subarray(i * H * W, (i + 1) * H * W);
      if (img.every((v, k) => v === mirror[k])) flipped++;
      else expect(img).toEqual(same);
    }
    expect(flipped).toBeGreaterThan(10);
    expect(flipped).toBeLessThan(b - 10);
  });

  it('strong keeps shape and value range, on [0, 1] and on standardised data', async () => {
    const b = 32;
    const x = images(b);
    for (const v of await run(STRONG, x, b, ctx(true), 'range')) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    // The same images standardised to [-2, 3]: the output stays in that range.
    const z = x.map((v) => v * 5 - 2);
    const out = await run(STRONG, z, b, ctx(true, -2, 3), 'range');
    for (const v of out) {
      expect(v).toBeGreaterThanOrEqual(-2 - 1e-5);
      expect(v).toBeLessThanOrEqual(3 + 1e-5);
    }
  });

  it('is an error on feature vectors, naming the dataset', () => {
    expect(() => checkAugmentable(STANDARD, 'synthetic', [10])).toThrow(AugmentationError);
    expect(() => checkAugmentable(STANDARD, 'synthetic', [10])).toThrow(/augmentation "standard" needs image data .* dataset synthetic has shape \[10\]; allowed for it: none/);
    expect(() => checkAugmentable('none', 'synthetic', [10])).not.toThrow();
  });

  it('valueRange finds the data range (and a safe default for constant data)', () => {
    expect(valueRange(Float32Array.from([0.5, -1, 2]))).toEqual({ lo: -1, hi: 2 });
    expect(valueRange(Float32Array.from([3, 3]))).toEqual({ lo: 0, hi: 1 });
  });

  it('leaks no tensors', async () => {
    const x = images(8);
    await run(STRONG, x, 8, ctx(true), 'warm');
    const before = tf.memory().numTensors;
    await run(STRONG, x, 8, ctx(true), 'leak');
    await run(STANDARD, x, 8, ctx(false), 'leak');
    expect(tf.memory().numTensors).toBe(before);
  });
});
