import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/index.js';
import { cutout, cutoutMask } from '../../../src/data/augment/cutout.js';
import { rotateInv, transformRow } from '../../../src/data/augment/geometry.js';
import { autocontrast, brightness, contrast, equalize, posterize, sharpness, solarize } from '../../../src/data/augment/pixel-ops.js';
import { applyPixelOps, drawOps, RANDAUGMENT_OPS } from '../../../src/data/augment/randaugment.js';
import { createRng } from '../../../src/rng.js';

beforeAll(async () => {
  await initBackend('wasm');
});

async function apply(values: number[], shape: [number, number, number, number], fn: (x: tf.Tensor4D) => tf.Tensor4D): Promise<number[]> {
  const out = tf.tidy(() => fn(tf.tensor4d(values, shape)));
  expect(out.shape).toEqual(shape);
  const data = Array.from(await out.data());
  out.dispose();
  return data;
}

const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v, `index ${i}`).toBeCloseTo(b[i], 5));

describe('photometric ops (expected values from the PIL definitions quoted in pixel-ops.ts)', () => {
  it('every op keeps shape and [0, 1] range on random images at extreme factors', async () => {
    const rng = createRng('ops');
    const x = Array.from({ length: 4 * 6 * 6 * 2 }, () => rng.next());
    const shape: [number, number, number, number] = [4, 6, 6, 2];
    const ops: ((t: tf.Tensor4D) => tf.Tensor4D)[] = [
      (t) => brightness(t, [0.1, 1.9, 1, 0]),
      (t) => contrast(t, [0.1, 1.9, 1, 0]),
      (t) => sharpness(t, [0.1, 1.9, 1, 0]),
      (t) => posterize(t, [4, 5, 7, 8]),
      (t) => solarize(t, [0, 0.3, 0.7, 1]),
      equalize,
      autocontrast,
    ];
    for (const op of ops) for (const v of await apply(x, shape, op)) expect(v >= 0 && v <= 1).toBe(true);
  });

  it('brightness, contrast, solarize, posterize, autocontrast on hand-built pixels', async () => {
    const s: [number, number, number, number] = [1, 1, 4, 1];
    close(await apply([0.2, 0.4, 0.6, 0.8], s, (t) => brightness(t, [0.5])), [0.1, 0.2, 0.3, 0.4]);
    close(await apply([0.2, 0.4, 0.6, 0.8], s, (t) => contrast(t, [0])), [0.5, 0.5, 0.5, 0.5]); // all at the mean
    close(await apply([0.2, 0.4, 0.6, 0.8], s, (t) => contrast(t, [2])), [0, 0.3, 0.7, 1]); // 0.5 ± 2·d, clipped
    close(await apply([0.2, 0.4, 0.6, 0.8], s, (t) => solarize(t, [0.5])), [0.2, 0.4, 0.4, 0.2]);
    // 200 >> 4 << 4 = 192; 15 → 0; 255 → 240.
    close(await apply([200 / 255, 15 / 255, 1, 0], s, (t) => posterize(t, [4])), [192 / 255, 0, 240 / 255, 0]);
    close(await apply([0.2, 0.4, 0.6, 0.3], s, autocontrast), [0, 0.5, 1, 0.25]);
    close(await apply([0.3, 0.3, 0.3, 0.3], s, autocontrast), [0.3, 0.3, 0.3, 0.3]); // flat: unchanged
  });

  it('equalize follows PIL: 256 pixels at levels 10 (×128), 20 (×127), 30 (×1) → 0, 128, 255', async () => {
    // PIL: step = ⌊(256 − h[30])/255⌋ = 1; lut[i] = ⌊(⌊1/2⌋ + Σ_{j<i} h[j])/1⌋ → lut[10]=0, lut[20]=128, lut[30]=255.
    const levels = [...new Array(128).fill(10), ...new Array(127).fill(20), 30];
    const out = await apply(levels.map((v) => v / 255), [1, 16, 16, 1], equalize);
    close(out, levels.map((v) => (v === 10 ? 0 : v === 20 ? 128 / 255 : 1)));
    // Fewer than 256 pixels: step 0, and PIL returns the image unchanged.
    close(await apply([0.1, 0.5, 0.5, 0.9], [1, 2, 2, 1], equalize), [0.1, 0.5, 0.5, 0.9]);
  });

  it('equalize is bit for bit the tensor-op version it replaced, on wasm and cpu (half levels, flat and 3-channel images)', async () => {
    // The tensor-op equalize albench used before (a one-hot histogram), kept as the reference: the
    // committed results were computed with it, so the JS version must not change a single bit.
    const reference = (x: tf.Tensor4D): tf.Tensor4D =>
      tf.tidy(() => {
        const [b, h, w, c] = x.shape;
        const rows = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [b * c, h * w]);
        const [n, size] = rows.shape;
        const levels = tf.cast(tf.clipByValue(tf.round(tf.mul(rows, 255)), 0, 255), 'int32');
        const oneHot = tf.cast(tf.oneHot(levels as tf.Tensor2D, 256), 'float32');
        const hist = tf.sum(oneHot, 1);
        const before = tf.sub(tf.cumsum(hist, 1), hist);
        const hLast = tf.sum(tf.mul(tf.cast(tf.oneHot(tf.max(levels, 1) as tf.Tensor1D, 256), 'float32'), hist), 1, true);
        const step = tf.floor(tf.div(tf.sub(size, hLast), 255));
        const lut = tf.minimum(255, tf.floor(tf.div(tf.add(before, tf.floor(tf.div(step, 2))), tf.maximum(step, 1))));
        const mapped = tf.div(tf.reshape(tf.matMul(oneHot, tf.reshape(lut, [n, 256, 1])), [n, size]), 255);
        const out = tf.where(tf.greater(tf.tile(step, [1, size]), 0), mapped, rows);
        return tf.transpose(tf.reshape(out, [b, c, h, w]), [0, 2, 3, 1]);
      });
    const rng = createRng('equalize-bits');
    const images: [number[], [number, number, number, number]][] = [
      // random levels, with exact half levels ((k + ½)/255: round-half-even decides) and quarter levels
      [Array.from({ length: 6 * 28 * 28 }, () => Math.fround((rng.int(256) + [0, 0.25, 0.5, 0.75][rng.int(4)]) / 255)), [6, 28, 28, 1]],
      // continuous values, a few levels only, a flat image, and out-of-range values the clip catches
      [Array.from({ length: 28 * 28 }, () => rng.next()), [1, 28, 28, 1]],
      [Array.from({ length: 28 * 28 }, () => [0.1, 0.5, 0.9][rng.int(3)]), [1, 28, 28, 1]],
      [new Array(28 * 28).fill(0.4), [1, 28, 28, 1]],
      [Array.from({ length: 20 * 20 }, () => rng.next() * 1.2 - 0.1), [1, 20, 20, 1]],
      // three channels: each is equalised on its own
      [Array.from({ length: 2 * 16 * 16 * 3 }, () => Math.fround(rng.int(40) / 255)), [2, 16, 16, 3]],
    ];
    for (const backend of ['wasm', 'cpu'] as const) {
      await initBackend(backend);
      for (const [values, shape] of images) {
        const x = tf.tensor4d(values, shape);
        const want = reference(x);
        const got = equalize(x);
        const [a, e] = [got.dataSync(), want.dataSync()];
        let differing = 0;
        for (let i = 0; i < a.length; i++) if (!Object.is(a[i], e[i])) differing++;
        expect(differing, `${backend} ${shape.join('×')}`).toBe(0);
        tf.dispose([x, want, got]);
      }
    }
    await initBackend('wasm');
  });

  it('sharpness: factor 1 is the identity; factor 0 is the SMOOTH filter inside and the border kept', async () => {
    const x = Array.from({ length: 9 }, (_, i) => (i === 4 ? 1 : 0));
    close(await apply(x, [1, 3, 3, 1], (t) => sharpness(t, [1])), x);
    close(await apply(x, [1, 3, 3, 1], (t) => sharpness(t, [0])), x.map((v, i) => (i === 4 ? 5 / 13 : v)));
  });
});

describe('geometry and cutout', () => {
  it('rotating a 3×3 image by 90° moves the corners as a rotation should', async () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((v) => v / 10);
    const out = await apply(x, [1, 3, 3, 1], (t) => tf.image.transform(t, tf.tensor2d([transformRow(rotateInv(90, 3, 3))]), 'bilinear'));
    // Content rotated 90° counter-clockwise in (column, row) coordinates with y down: row r of the output is column r of the input reversed.
    const expected = [3, 6, 9, 2, 5, 8, 1, 4, 7].map((v) => v / 10);
    const alt = [7, 4, 1, 8, 5, 2, 9, 6, 3].map((v) => v / 10);
    const matches = (e: number[]) => e.every((v, i) => Math.abs(v - out[i]) < 1e-5);
    expect(matches(expected) || matches(alt)).toBe(true);
  });

  it('cutout\'s JS mask equals the broadcast-comparison definition it replaced, on clipped and outside squares', async () => {
    const [b, h, w, size] = [40, 7, 9, 4];
    const rng = createRng(5);
    const corners = { rows: Array.from({ length: b }, () => rng.int(h + 6) - 4), cols: Array.from({ length: b }, () => rng.int(w + 6) - 4) };
    const reference = tf.tidy(() => {
      const r = tf.tensor4d(Array.from({ length: h }, (_, i) => i), [1, h, 1, 1]);
      const q = tf.tensor4d(Array.from({ length: w }, (_, i) => i), [1, 1, w, 1]);
      const r0 = tf.tensor4d(corners.rows, [b, 1, 1, 1]);
      const q0 = tf.tensor4d(corners.cols, [b, 1, 1, 1]);
      const inRows = tf.logicalAnd(tf.greaterEqual(r, r0), tf.less(r, tf.add(r0, size)));
      const inCols = tf.logicalAnd(tf.greaterEqual(q, q0), tf.less(q, tf.add(q0, size)));
      return tf.sub(1, tf.cast(tf.logicalAnd(inRows, inCols), 'float32')).dataSync() as Float32Array;
    });
    expect(Array.from(cutoutMask(b, h, w, corners, size))).toEqual(Array.from(reference));
  });

  it('cutout zeroes one size×size square per image (clipped at the border)', async () => {
    const out = await apply(new Array(2 * 4 * 4).fill(1), [2, 4, 4, 1], (t) => cutout(t, { rows: [1, -1], cols: [1, 3] }, 2));
    const zeros = (i: number) => out.slice(i * 16, (i + 1) * 16).flatMap((v, k) => (v === 0 ? [k] : []));
    expect(zeros(0)).toEqual([5, 6, 9, 10]);
    expect(zeros(1)).toEqual([3]);
  });
});

describe('RandAugment draws', () => {
  it('N distinct ops in list order, reproducible from the stream', () => {
    const a = drawOps(3, createRng('ra'));
    expect(a).toHaveLength(3);
    expect(new Set(a.map((d) => d.op)).size).toBe(3);
    const order = a.map((d) => RANDAUGMENT_OPS.indexOf(d.op));
    expect(order).toEqual([...order].sort((p, q) => p - q));
    expect(drawOps(3, createRng('ra'))).toEqual(a);
    expect(drawOps(20, createRng('ra'))).toHaveLength(RANDAUGMENT_OPS.length);
  });

  it('applies each photometric op only to the images that drew it', async () => {
    const x = [0.2, 0.4, 0.2, 0.4];
    const draws = [[{ op: 'solarize', sign: 1, axis: 0 }], [{ op: 'brightness', sign: -1, axis: 0 }]] as const;
    // m = 15: solarize threshold 0.5 (no pixel of image 0 reaches it); brightness 1 − 0.45 = 0.55.
    const out = await apply(x, [2, 1, 2, 1], (t) => applyPixelOps(t, draws, 15));
    close(out, [0.2, 0.4, 0.2 * 0.55, 0.4 * 0.55]);
  });
});
